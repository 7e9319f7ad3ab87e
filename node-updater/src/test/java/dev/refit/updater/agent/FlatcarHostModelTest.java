package dev.refit.updater.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ActionState;
import dev.refit.api.Condition;
import dev.refit.api.NodeAction;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.RefitApi;
import dev.refit.updater.backend.flatcar.FlatcarBackend;
import dev.refit.updater.hostmodel.FlatcarHost;
import dev.refit.updater.selinux.SelinuxTools;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real agent over the Flatcar backend over a model of a Flatcar host. */
class FlatcarHostModelTest {

  static final String OLD = "4426.1.0";
  static final String NEW = "4459.1.0";
  static final List<String> CHECK = List.of("update_engine_client", "-check_for_update");

  final ManualClock clock = new ManualClock();
  final MemoryApi api = new MemoryApi("worker-1");
  final FlatcarHost host = new FlatcarHost(OLD).offering(NEW);
  final NodeAgent agent =
      new NodeAgent(
          "worker-1",
          new FlatcarBackend(host, host.hostBoot(), new SelinuxTools(host, host.state())),
          api,
          ModuleSources.inlineOnly(),
          new InertExecutor(),
          clock,
          new AgentSettings(
              Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofSeconds(1), 3),
          AgentMetrics.NONE);

  /** What a platform team does first: locksmithd told to stay off, and restarted so it exits. */
  void locksmithdOff() {
    host.etcUpdateConf("GROUP=stable\nREBOOT_STRATEGY=off\n");
    host.startLocksmithd();
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
    for (int i = 0; i < 100; i++) {
      OSNodeStatus status = step(1);
      if (actionId.equals(status.getObservedActionId())
          && status.getActionState() != ActionState.Running) {
        return status;
      }
    }
    throw new AssertionError("never finished " + actionId + ": " + api.status());
  }

  static Condition eligible(OSNodeStatus status) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(RefitApi.ELIGIBLE))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aStageThenAnApplyInstallTheOfferedVersionRebootOnceAndReportIt() {
    locksmithdOff();
    api.instruct(NEW, NodeAction.Stage, "s1");

    OSNodeStatus staged = until("s1");

    assertThat(staged.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(staged.getStaged().getVersion()).isEqualTo(NEW);
    assertThat(staged.getRebootPending()).isTrue();
    assertThat(host.commandsStartingWith(CHECK.toArray(String[]::new))).hasSize(1);
    assertThat(host.rebootAsked()).isEmpty();

    api.instruct(NEW, NodeAction.Apply, "a1");
    step(1);
    assertThat(host.rebootAsked()).contains("systemctl reboot");
    host.boot();
    OSNodeStatus applied = until("a1");

    assertThat(applied.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(host.booted()).isEqualTo(NEW);
    assertThat(host.boots()).isEqualTo(2);
    assertThat(applied.getBooted().getVersion()).isEqualTo(NEW);
    assertThat(applied.getCurrentRevision()).isEqualTo(api.get().getSpec().getDesiredRevision());
    assertThat(applied.getRebootPending()).isFalse();
  }

  @Test
  void aStockHostIsRefusedSoTheAgentNeverHandsLocksmithdAnUpdateToRebootFor() {
    api.instruct(NEW, NodeAction.Stage, "s1");

    OSNodeStatus status = step(3);

    assertThat(status.getObservedActionId()).isNull();
    assertThat(eligible(status).getStatus()).isEqualTo(Condition.Status.False);
    assertThat(eligible(status).getReason()).isEqualTo(FlatcarBackend.REBOOT_MANAGER_ACTIVE);
    assertThat(eligible(status).getMessage())
        .contains("REBOOT_STRATEGY=reboot (locksmithd's default, none set in update.conf)")
        .contains("set REBOOT_STRATEGY=off in /etc/flatcar/update.conf");
    assertThat(host.commandsStartingWith(CHECK.toArray(String[]::new))).isEmpty();
    assertThat(host.rebootAsked()).isEmpty();

    locksmithdOff();
    OSNodeStatus fixed = until("s1");

    assertThat(fixed.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(eligible(fixed).getStatus()).isEqualTo(Condition.Status.True);
    assertThat(host.rebootAsked()).isEmpty();
  }

  @Test
  void theModelsLocksmithdRebootsByItselfOnceUpdateEngineHasInstalled() {
    // What the refusal is about: update_engine's own periodic check, with locksmithd running,
    // reboots the node while the agent only reads its status.
    host.automaticCheck();

    step(8);

    assertThat(host.currentOperation()).isEqualTo("UPDATE_STATUS_UPDATED_NEED_REBOOT");
    assertThat(host.rebootAsked()).contains("locksmithd (REBOOT_STRATEGY=reboot)");
  }

  @Test
  void aStoppedLocksmithdThatWouldStartAtBootIsRefusedUntilDisabled() {
    host.unit(FlatcarHost.LOCKSMITHD, true, false);
    api.instruct(NEW, NodeAction.Stage, "s1");

    OSNodeStatus status = step(2);

    assertThat(eligible(status).getReason()).isEqualTo(FlatcarBackend.REBOOT_MANAGER_ENABLED);
    assertThat(status.getObservedActionId()).isNull();

    host.disableLocksmithd();

    assertThat(until("s1").getActionState()).isEqualTo(ActionState.Succeeded);
  }

  @Test
  void theFluoAgentOnTheNodeIsRefusedUntilItIsGone() {
    locksmithdOff();
    host.running("update-agent");
    api.instruct(NEW, NodeAction.Stage, "s1");

    OSNodeStatus status = step(2);

    assertThat(eligible(status).getReason()).isEqualTo(FlatcarBackend.REBOOT_AGENT_RUNNING);
    assertThat(eligible(status).getMessage()).startsWith("FLUO's update-agent runs on this node");
    assertThat(host.commandsStartingWith(CHECK.toArray(String[]::new))).isEmpty();

    host.stopped("update-agent");

    assertThat(until("s1").getActionState()).isEqualTo(ActionState.Succeeded);
  }

  @Test
  void aVersionNotOfferedYetFailsOneInstructionButIsCheckedAgainForTheNext() {
    locksmithdOff();
    host.offering(null);
    api.instruct(NEW, NodeAction.Stage, "s1");

    OSNodeStatus first = until("s1");

    assertThat(first.getActionState()).isEqualTo(ActionState.Failed);
    assertThat(first.getLastError().getReason()).isEqualTo(FlatcarBackend.VERSION_NOT_OFFERED);

    host.offering(NEW);
    api.instruct(NEW, NodeAction.Stage, "s2");
    OSNodeStatus second = until("s2");

    assertThat(second.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(host.commandsStartingWith(CHECK.toArray(String[]::new))).hasSize(2);
  }

  @Test
  void anUpdateServerThatDoesNotAnswerFailsTheStageAsAFailedUpdate() {
    locksmithdOff();
    host.serverAnswers(false);
    api.instruct(NEW, NodeAction.Stage, "s1");

    OSNodeStatus status = until("s1");

    assertThat(status.getActionState()).isEqualTo(ActionState.Failed);
    assertThat(status.getLastError().getReason()).isEqualTo(FlatcarBackend.UPDATE_FAILED);
    assertThat(host.booted()).isEqualTo(OLD);
  }

  @Test
  void anUpdateEngineRestartAfterStagingIsNeverTakenForTheTargetNorRebootedInto() {
    locksmithdOff();
    api.instruct(NEW, NodeAction.Stage, "s1");
    assertThat(until("s1").getActionState()).isEqualTo(ActionState.Succeeded);

    host.restartUpdateEngine();
    api.instruct(NEW, NodeAction.Apply, "a1");
    OSNodeStatus apply = until("a1");

    assertThat(apply.getActionState()).isEqualTo(ActionState.Failed);
    assertThat(apply.getLastError().getReason()).isEqualTo(AgentStep.NOTHING_STAGED);
    assertThat(apply.getRebootPending()).isTrue();
    assertThat(host.rebootAsked()).isEmpty();

    api.instruct(NEW, NodeAction.Stage, "s2");
    OSNodeStatus restage = until("s2");

    assertThat(restage.getLastError().getReason()).isEqualTo(FlatcarBackend.STAGED_VERSION_UNKNOWN);
    assertThat(restage.getLastError().getMessage()).contains("NEW_VERSION=0.0.0");
  }

  @Test
  void aRollbackFailsBecauseFlatcarReportsNoRollbackDeployment() {
    locksmithdOff();
    api.instruct(OLD, NodeAction.Rollback, "r1");

    OSNodeStatus status = until("r1");

    assertThat(status.getActionState()).isEqualTo(ActionState.Failed);
    assertThat(status.getLastError().getReason()).isEqualTo(AgentStep.NO_ROLLBACK);
    assertThat(host.rebootAsked()).isEmpty();
  }
}
