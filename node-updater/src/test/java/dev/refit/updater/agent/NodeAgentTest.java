package dev.refit.updater.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ActionState;
import dev.refit.api.NodeAction;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.OSTarget;
import dev.refit.updater.backend.fake.FakeBackend;
import dev.refit.updater.backend.fake.FakeHost;
import dev.refit.updater.backend.fake.FakeMachine;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the agent reports when the host misbehaves (failures injected into the fake host). */
class NodeAgentTest {

  static final String OLD = "40.20241201.3.0";
  static final String NEW = "41.20250101.3.0";

  final ManualClock clock = new ManualClock();
  final MemoryApi api = new MemoryApi("worker-1");
  final FakeHost host =
      new FakeHost(
          OSFamily.FedoraCoreOS,
          FakeHost.deploymentOf(OSTarget.version(OLD)),
          FakeMachine.inMemory("worker-1"),
          clock);
  final NodeAgent agent = steppedByHand(host, api, clock);

  /** An agent over the fake host that runs a step only when the test calls {@code stepNow}. */
  static NodeAgent steppedByHand(FakeHost host, MemoryApi api, ManualClock clock) {
    return new NodeAgent(
        "worker-1",
        new FakeBackend(host),
        api,
        ModuleSources.inlineOnly(),
        new InertExecutor(),
        clock,
        new AgentSettings(Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofSeconds(1), 3),
        AgentMetrics.NONE);
  }

  OSNodeStatus step(int times) {
    for (int i = 0; i < times; i++) {
      agent.onOsNode(api.get());
      agent.stepNow();
      clock.advance(Duration.ofSeconds(1));
    }
    return api.status();
  }

  @Test
  void aFailingStageIsReportedFailedWithTheToolsMessage() {
    host.failStaging("registry quay.io unreachable");
    api.instruct(NEW, NodeAction.Stage, "s1");

    OSNodeStatus status = step(1);

    assertThat(status.getActionState()).isEqualTo(ActionState.Failed);
    assertThat(status.getLastError().getReason()).isEqualTo("CommandFailed");
    assertThat(status.getLastError().getMessage()).contains("registry quay.io unreachable");
    assertThat(status.getConditions())
        .anySatisfy(c -> assertThat(c.getType() + c.getStatus()).isEqualTo("DegradedTrue"));
  }

  @Test
  void unreadableFactsAreReportedAndFailAPendingInstructionOnlyAfterRetries() {
    api.instruct(NEW, NodeAction.Stage, "s1");
    host.failFacts("rpm-ostree status --json: expected JSON, got (empty output)");

    OSNodeStatus afterOne = step(1);
    assertThat(afterOne.getActionState()).isNull();
    assertThat(afterOne.getLastError().getMessage()).contains("(empty output)");

    OSNodeStatus afterThree = step(2);
    assertThat(afterThree.getObservedActionId()).isEqualTo("s1");
    assertThat(afterThree.getActionState()).isEqualTo(ActionState.Failed);
  }

  @Test
  void aHostThatBootsBackIntoTheOldOsFailsTheApplyAndIsNotRebootedAgain() {
    host.bootsOldDeployment(true);
    api.instruct(NEW, NodeAction.Stage, "s1");
    step(2);
    api.instruct(NEW, NodeAction.Apply, "a1");

    OSNodeStatus status = step(5);

    assertThat(status.getActionState()).isEqualTo(ActionState.Failed);
    assertThat(status.getLastError().getReason()).isEqualTo(AgentStep.BOOTED_WRONG);
    assertThat(host.boots()).isEqualTo(1);
    assertThat(host.rebootRequests()).containsExactly("a1");
  }

  @Test
  void aStagingInProgressIsReportedRunningUntilTheHostShowsTheTarget() {
    host.stageDuration(Duration.ofSeconds(5));
    api.instruct(NEW, NodeAction.Stage, "s1");

    assertThat(step(2).getActionState()).isEqualTo(ActionState.Running);
    OSNodeStatus done = step(6);

    assertThat(done.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(done.getStagedRevision()).isEqualTo(api.get().getSpec().getDesiredRevision());
    assertThat(done.getRebootPending()).isTrue();
    assertThat(host.rebootRequests()).isEmpty();
  }
}
