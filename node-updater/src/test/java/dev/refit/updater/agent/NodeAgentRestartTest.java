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
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent is killed before every single call it makes to the host or the API during a stage and
 * an apply, then started afresh (nothing survives but the OSNode and the host). Every run must end
 * with the target staged once and booted once: one reboot request, one boot, never two.
 */
class NodeAgentRestartTest {

  static final String OLD = "40.20241201.3.0";
  static final String NEW = "41.20250101.3.0";
  static final String STAGE = "rev-stage-0";
  static final String APPLY = "rev-apply-0";
  static final AgentSettings SETTINGS =
      new AgentSettings(Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofSeconds(1), 5);

  /** A fleet of one: the API, the host, the clock, and whichever agent is alive. */
  static final class World {
    final ManualClock clock = new ManualClock();
    final MemoryApi api = new MemoryApi("worker-1");
    final FakeHost host =
        new FakeHost(
                OSFamily.FedoraCoreOS,
                FakeHost.deploymentOf(OSTarget.version(OLD)),
                FakeMachine.inMemory("worker-1"),
                clock)
            .stageDuration(Duration.ofSeconds(3));
    final Crashes crashes;
    final InertExecutor executor = new InertExecutor();
    NodeAgent agent;
    int restarts;

    World(int crashAt) {
      crashes = new Crashes(crashAt);
    }

    NodeAgent agent() {
      if (agent == null) {
        agent =
            new NodeAgent(
                "worker-1",
                crashes.backend(new FakeBackend(host)),
                crashes.sink(api),
                ModuleSources.inlineOnly(),
                executor,
                clock,
                SETTINGS,
                AgentMetrics.NONE);
      }
      return agent;
    }

    /** Steps the agent (restarting it after each crash) until the instruction finished. */
    OSNodeStatus until(String actionId) {
      for (int i = 0; i < 2000; i++) {
        try {
          NodeAgent current = agent();
          current.onOsNode(api.get());
          current.stepNow();
        } catch (Crashes.Crash crash) {
          agent.close();
          agent = null;
          restarts++;
        }
        OSNodeStatus status = api.status();
        if (status != null
            && actionId.equals(status.getObservedActionId())
            && status.getActionState() != ActionState.Running) {
          return status;
        }
        clock.advance(Duration.ofSeconds(1));
      }
      throw new AssertionError("never finished " + actionId + ": " + api.status());
    }

    OSNodeStatus rollOut() {
      api.instruct(NEW, NodeAction.Stage, STAGE);
      OSNodeStatus staged = until(STAGE);
      assertThat(staged.getActionState()).isEqualTo(ActionState.Succeeded);
      api.instruct(NEW, NodeAction.Apply, APPLY);
      return until(APPLY);
    }
  }

  static int callsOfACleanRun() {
    World clean = new World(-1);
    clean.rollOut();
    return clean.crashes.calls();
  }

  static IntStream crashPoints() {
    return IntStream.range(0, callsOfACleanRun());
  }

  @org.junit.jupiter.api.Test
  void theSweepCoversStagingInProgressTheRebootAndTheNewBoot() {
    World clean = new World(-1);
    clean.rollOut();

    assertThat(clean.crashes.trace())
        .containsSubsequence(
            "facts",
            "write Running",
            "stage",
            "stage",
            "write Succeeded",
            "facts",
            "write Running",
            "recordRebootRequest",
            "finalizeAndReboot",
            "facts",
            "write Succeeded");
  }

  @ParameterizedTest(name = "crash before call {0}")
  @MethodSource("crashPoints")
  void aRestartAtAnyPointStagesOnceAndRebootsAtMostOnce(int crashAt) {
    World world = new World(crashAt);

    OSNodeStatus status = world.rollOut();

    List<String> trace = world.crashes.trace();
    String crashedBefore = crashAt < trace.size() ? trace.get(crashAt) : "nothing";
    assertThat(world.host.rebootRequests()).as("reboot requests").hasSizeLessThanOrEqualTo(1);
    assertThat(world.host.boots()).as("boots").isLessThanOrEqualTo(1);
    if (crashedBefore.equals("finalizeAndReboot")) {
      // Killed between recording the request on the host and making it: the agent will not ask
      // a second time in the same boot, so it waits out the grace and says so.
      assertThat(status.getActionState()).isEqualTo(ActionState.Failed);
      assertThat(status.getLastError().getReason()).isEqualTo(AgentStep.REBOOT_DID_NOT_HAPPEN);
      assertThat(world.host.boots()).isZero();
      return;
    }
    assertThat(status.getActionState())
        .as(status.getLastError() + "")
        .isEqualTo(ActionState.Succeeded);
    assertThat(world.host.rebootRequests()).containsExactly(APPLY);
    assertThat(world.host.boots()).isEqualTo(1);
    assertThat(world.host.booted().getVersion()).isEqualTo(NEW);
    assertThat(status.getCurrentRevision())
        .isEqualTo(world.api.get().getSpec().getDesiredRevision());
    assertThat(status.getBootId()).isNotEqualTo(status.getBootIdBeforeAction());
  }

  @ParameterizedTest(name = "crash before call {0}")
  @MethodSource("crashPoints")
  void aFinishedApplyIsNeverRepeatedByANewAgent(int crashAt) {
    World world = new World(crashAt);
    world.rollOut();
    int boots = world.host.boots();

    world.agent = null; // a fresh agent, say after a node restart or a DaemonSet update
    for (int i = 0; i < 5; i++) {
      world.agent().onOsNode(world.api.get());
      world.agent().stepNow();
      world.clock.advance(Duration.ofMinutes(11));
    }

    assertThat(world.host.boots()).isEqualTo(boots);
    assertThat(world.host.rebootRequests()).hasSizeLessThanOrEqualTo(1);
  }
}
