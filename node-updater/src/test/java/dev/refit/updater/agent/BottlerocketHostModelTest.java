package dev.refit.updater.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.ActionState;
import dev.refit.api.Condition;
import dev.refit.api.NodeAction;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.RefitApi;
import dev.refit.updater.backend.bottlerocket.BottlerocketBackend;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.hostmodel.BottlerocketHost;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real agent over the Bottlerocket backend over a model of a Bottlerocket host. */
class BottlerocketHostModelTest {

  static final String OLD = "1.19.2";
  static final String NEW = "1.20.0";
  static final String OTHER = "1.19.4";
  static final Duration GRACE = Duration.ofMinutes(10);
  static final List<String> REBOOT =
      List.of("apiclient", "raw", "-u", "/actions/reboot", "-m", "POST");
  static final String OPERATOR_LABEL = "bottlerocket.aws/updater-interface-version";

  /** The agent is killed while it runs this command (before it is carried out). */
  static final class AgentKilled extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  final ManualClock clock = new ManualClock();
  final MemoryApi api = new MemoryApi("worker-1");
  // NEW is published in a wave that has not reached this host: only ignore-waves offers it.
  final BottlerocketHost host =
      new BottlerocketHost(clock, "aws-k8s-1.28", OLD)
          .publishing(NEW, OTHER, OLD, "1.19.0")
          .inLaterWave(NEW);
  List<String> killOn;
  NodeAgent agent = newAgent();

  NodeAgent newAgent() {
    CommandRunner runner =
        (argv, timeout) -> {
          if (argv.equals(killOn)) {
            killOn = null;
            throw new AgentKilled();
          }
          return host.execute(argv, timeout);
        };
    return new NodeAgent(
        "worker-1",
        new BottlerocketBackend(runner, host.hostBoot(), clock, GRACE, clock::advance),
        api,
        ModuleSources.inlineOnly(),
        new InertExecutor(),
        clock,
        new AgentSettings(GRACE, Duration.ofMinutes(10), Duration.ofSeconds(1), 3),
        AgentMetrics.NONE);
  }

  OSNodeStatus step(int times) {
    for (int i = 0; i < times; i++) {
      agent.onOsNode(api.get());
      agent.stepNow();
      clock.advance(Duration.ofSeconds(10));
    }
    return api.status();
  }

  OSNodeStatus until(String actionId) {
    for (int i = 0; i < 200; i++) {
      OSNodeStatus status = step(1);
      if (actionId.equals(status.getObservedActionId())
          && status.getActionState() != ActionState.Running) {
        return status;
      }
    }
    throw new AssertionError("never finished " + actionId + ": " + api.status());
  }

  /** What a person does on the host: the update API's own commands, each given time to finish. */
  void byHand(String... commandLine) {
    CommandResult result = host.execute(List.of(commandLine), Duration.ofMinutes(1));
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    clock.advance(Duration.ofMinutes(5));
  }

  void prepareByHand(String version) {
    byHand("apiclient", "set", "updates.version-lock=v" + version);
    byHand("apiclient", "raw", "-u", "/actions/refresh-updates", "-m", "POST");
    byHand("apiclient", "raw", "-u", "/actions/prepare-update", "-m", "POST");
  }

  static Condition eligible(OSNodeStatus status) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(RefitApi.ELIGIBLE))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aStageThenAnApplyInstallTheTargetRebootOnceAndARollbackBootsTheOldVersionAgain() {
    api.instruct(NEW, NodeAction.Stage, "s1");
    step(4);
    OSNodeStatus downloading = step(6); // the download holds the update lock for minutes
    assertThat(downloading.getActionState()).isEqualTo(ActionState.Running);
    assertThat(downloading.getLastError()).isNull();
    assertThat(host.updateState()).isEqualTo("Available");

    OSNodeStatus staged = until("s1");
    assertThat(staged.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(staged.getStaged().getVersion()).isEqualTo(NEW);
    assertThat(staged.getRollback()).isNull(); // preparing overwrote the other partition set
    assertThat(host.nextBoot()).isEqualTo(OLD);

    api.instruct(NEW, NodeAction.Apply, "a1");
    step(1);
    // The reboot was asked only once updog had written the boot flags.
    assertThat(host.rebootAsked()).isPresent();
    assertThat(host.updateState()).isEqualTo("Ready");
    assertThat(host.nextBoot()).isEqualTo(NEW);
    host.boot();
    OSNodeStatus applied = until("a1");

    assertThat(applied.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(host.running()).isEqualTo(NEW);
    assertThat(host.boots()).isEqualTo(2);
    assertThat(applied.getBooted().getVersion()).isEqualTo(NEW);
    assertThat(applied.getCurrentRevision()).isEqualTo(api.get().getSpec().getDesiredRevision());
    assertThat(applied.getRollback()).isNotNull(); // from signpost: the status forgot set A

    api.instruct(NEW, NodeAction.Rollback, "r1");
    step(1);
    assertThat(host.rebootAsked()).isPresent();
    host.boot();
    OSNodeStatus rolledBack = until("r1");

    assertThat(rolledBack.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(host.running()).isEqualTo(OLD);
    assertThat(rolledBack.getBooted().getVersion()).isEqualTo(OLD);
    assertThat(host.boots()).isEqualTo(3);
  }

  @Test
  void aRebootTheApiRefusesUndoesTheActivationSoNoLaterBootAppliesIt() {
    host.rebootInhibitedBy(
        "Operation inhibited by \"backup\" (PID 4242 \"restic\", user root), reason is"
            + " \"snapshot\".\n");
    api.instruct(NEW, NodeAction.Stage, "s1");
    until("s1");
    api.instruct(NEW, NodeAction.Apply, "a1");

    OSNodeStatus refused = step(1);

    assertThat(refused.getActionState()).isEqualTo(ActionState.Running);
    assertThat(refused.getLastError().getReason()).isEqualTo("RebootRefused");
    assertThat(refused.getLastError().getMessage()).contains("Operation inhibited by");
    assertThat(host.rebootAsked()).isEmpty();
    assertThat(host.updateState()).isEqualTo("Staged");
    assertThat(host.nextBoot()).isEqualTo(OLD);

    OSNodeStatus failed = until("a1");
    assertThat(failed.getLastError().getReason()).isEqualTo(AgentStep.REBOOT_DID_NOT_HAPPEN);
    host.boot(); // someone else's reboot, later: the node comes back in the version it was drained
    assertThat(host.running()).isEqualTo(OLD);
  }

  @Test
  void anAgentKilledBetweenActivationAndRebootLeavesNoArmedHostOnceTheGraceHasPassed() {
    api.instruct(NEW, NodeAction.Stage, "s1");
    until("s1");
    api.instruct(NEW, NodeAction.Apply, "a1");
    killOn = REBOOT;

    assertThatThrownBy(() -> step(1)).isInstanceOf(AgentKilled.class);
    assertThat(host.nextBoot()).isEqualTo(NEW); // activated, and nobody asked for the reboot
    agent.close();
    agent = newAgent();
    OSNodeStatus failed = until("a1");

    assertThat(failed.getActionState()).isEqualTo(ActionState.Failed);
    assertThat(failed.getLastError().getReason()).isEqualTo(AgentStep.REBOOT_DID_NOT_HAPPEN);
    assertThat(host.rebootAsked()).isEmpty();
    assertThat(host.updateState()).isEqualTo("Staged");
    assertThat(host.nextBoot()).isEqualTo(OLD);
  }

  @Test
  void aTransientPrepareFailureFailsOneInstructionAndTheNextOneStagesTheSameVersion() {
    host.prepareFailsOnce("Failed to download update: Failed to fetch target\n");
    api.instruct(NEW, NodeAction.Stage, "s1");

    OSNodeStatus failed = until("s1");

    assertThat(failed.getActionState()).isEqualTo(ActionState.Failed);
    assertThat(failed.getLastError().getReason()).isEqualTo("PrepareFailed");
    assertThat(failed.getLastError().getMessage()).contains("Failed to fetch target");

    agent.close();
    agent = newAgent(); // the status on the host still shows the failed prepare
    api.instruct(NEW, NodeAction.Stage, "s2");
    OSNodeStatus staged = until("s2");

    assertThat(staged.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(staged.getStaged().getVersion()).isEqualTo(NEW);
  }

  @Test
  void aTransientRefreshFailureIsReportedAsSuchAndTheNextInstructionRefreshesAgain() {
    host.refreshFailsOnce("Metadata error: Failed to load timestamp.json\n");
    api.instruct(NEW, NodeAction.Stage, "s1");

    OSNodeStatus failed = until("s1");

    assertThat(failed.getLastError().getReason()).isEqualTo("RefreshFailed");
    assertThat(failed.getLastError().getMessage()).contains("Failed to load timestamp.json");

    api.instruct(NEW, NodeAction.Stage, "s2");
    OSNodeStatus staged = until("s2");

    assertThat(staged.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(staged.getStaged().getVersion()).isEqualTo(NEW);
  }

  @Test
  void aVersionPreparedButNotActivatedBySomeoneElseIsReplacedWithoutACancel() {
    prepareByHand(OTHER);
    assertThat(host.updateState()).isEqualTo("Staged");
    api.instruct(NEW, NodeAction.Stage, "s1");

    OSNodeStatus staged = until("s1");

    assertThat(staged.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(staged.getStaged().getVersion()).isEqualTo(NEW);
  }

  @Test
  void aVersionActivatedBySomeoneElseFailsTheStageNamingTheCancelThatUndoesIt() {
    prepareByHand(OTHER);
    byHand("apiclient", "raw", "-u", "/actions/activate-update", "-m", "POST");
    api.instruct(NEW, NodeAction.Stage, "s1");

    OSNodeStatus failed = until("s1");

    assertThat(failed.getLastError().getReason()).isEqualTo("OtherUpdateActivated");
    assertThat(failed.getLastError().getMessage())
        .contains(OTHER + " activated (update state Ready)")
        .contains("apiclient update cancel");
    assertThat(host.nextBoot()).isEqualTo(OTHER);
  }

  @Test
  void aHostWhoseSettingsScheduleTheUpdateOperatorIsRefusedUntilTheLabelIsChanged() {
    host.nodeLabel(OPERATOR_LABEL, "2.0.0");
    api.instruct(NEW, NodeAction.Stage, "s1");

    OSNodeStatus refused = step(3);

    assertThat(refused.getObservedActionId()).isNull();
    assertThat(eligible(refused).getStatus()).isEqualTo(Condition.Status.False);
    assertThat(eligible(refused).getReason()).isEqualTo("UpdateOperatorScheduled");
    assertThat(eligible(refused).getMessage())
        .contains(OPERATOR_LABEL + "=2.0.0")
        .contains("kubectl label node <node> " + OPERATOR_LABEL + "-");
    assertThat(host.commandsStartingWith("apiclient", "set")).isEmpty();

    host.nodeLabel(OPERATOR_LABEL, "none");
    OSNodeStatus staged = until("s1");

    assertThat(staged.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(eligible(staged).getStatus()).isEqualTo(Condition.Status.True);
  }

  @Test
  void anOlderHostWhoseUpdateApiReadsTheLockThroughTheApiStagesToo() {
    host.withoutTharBeUpdatesToml();
    api.instruct(NEW, NodeAction.Stage, "s1");

    OSNodeStatus staged = until("s1");

    assertThat(staged.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(staged.getStaged().getVersion()).isEqualTo(NEW);
  }

  @Test
  void anImageThatDoesNotComeUpFallsBackToTheOldSetAndTheApplyFailsAsBootedWrong() {
    host.failsToBoot(NEW);
    api.instruct(NEW, NodeAction.Stage, "s1");
    until("s1");
    api.instruct(NEW, NodeAction.Apply, "a1");
    step(1);
    host.boot();

    OSNodeStatus failed = until("a1");

    assertThat(host.running()).isEqualTo(OLD);
    assertThat(failed.getActionState()).isEqualTo(ActionState.Failed);
    assertThat(failed.getLastError().getReason()).isEqualTo(AgentStep.BOOTED_WRONG);
    assertThat(host.boots()).isEqualTo(2);
  }
}
