package dev.refit.updater.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeAction;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNode;
import dev.refit.api.OSTarget;
import dev.refit.updater.backend.fake.FakeBackend;
import dev.refit.updater.backend.fake.FakeHost;
import dev.refit.updater.backend.fake.FakeMachine;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An instruction is never missed, whichever way it reaches the agent: in a watch event, or in the
 * response to the agent's own status write when the operator wrote the spec just before it (the
 * watch then brings nothing the agent has not seen).
 */
class NodeAgentWakeupTest {

  static final String NEW = NodeAgentTest.NEW;

  final ManualClock clock = new ManualClock();
  final MemoryApi api = new MemoryApi("worker-1");
  final FakeHost host =
      new FakeHost(
          OSFamily.FedoraCoreOS,
          FakeHost.deploymentOf(OSTarget.version(NodeAgentTest.OLD)),
          FakeMachine.inMemory("worker-1"),
          clock);
  final QueueingExecutor executor = new QueueingExecutor();

  /** The operator's next instruction, written just before the agent's next status write lands. */
  final AtomicReference<NodeAction> racing = new AtomicReference<>();

  final AtomicReference<OSNode> raced = new AtomicReference<>();
  final NodeAgent agent =
      new NodeAgent(
          "worker-1",
          new FakeBackend(host),
          (osNode, status) -> {
            NodeAction action = racing.getAndSet(null);
            if (action != null) {
              raced.set(api.instruct(NEW, action, "a1"));
            }
            return api.write(osNode, status);
          },
          ModuleSources.inlineOnly(),
          executor,
          clock,
          new AgentSettings(
              Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofSeconds(1), 3),
          AgentMetrics.NONE);

  @Test
  void anInstructionFirstSeenInTheResponseToItsOwnStatusWriteIsCarriedOut() {
    api.instruct(NEW, NodeAction.Stage, "s1");
    racing.set(NodeAction.Apply);

    agent.onOsNode(api.get());
    executor.runAll();
    // The watch delivers the operator's write (older than the agent's) and the agent's own write.
    agent.onOsNode(raced.get());
    agent.onOsNode(api.get());
    executor.runAll();

    assertThat(host.rebootRequests()).containsExactly("a1");
    assertThat(api.status().getObservedActionId()).isEqualTo("a1");
  }

  @Test
  void anInstructionFromTheWatchIsCarriedOut() {
    api.instruct(NEW, NodeAction.Stage, "s1");
    agent.onOsNode(api.get());
    executor.runAll();

    agent.onOsNode(api.instruct(NEW, NodeAction.Apply, "a1"));
    executor.runAll();

    assertThat(host.rebootRequests()).containsExactly("a1");
  }

  /** Queues the agent's steps; the test runs them. Timers never fire. */
  static final class QueueingExecutor extends InertExecutor {
    private final Deque<Runnable> queue = new ArrayDeque<>();

    @Override
    public void execute(Runnable command) {
      queue.add(command);
    }

    void runAll() {
      for (int i = 0; i < 100 && !queue.isEmpty(); i++) {
        queue.poll().run();
      }
      assertThat(queue).as("steps still queued").isEmpty();
    }
  }
}
