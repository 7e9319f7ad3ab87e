package dev.refit.updater.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ActionState;
import dev.refit.api.Condition;
import dev.refit.api.NodeAction;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.RefitApi;
import dev.refit.updater.backend.rpmostree.RpmOstreeBackend;
import dev.refit.updater.hostmodel.RpmOstreeHost;
import dev.refit.updater.selinux.SelinuxTools;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real agent over the rpm-ostree backend over a model of a Fedora CoreOS host. */
class RpmOstreeHostModelTest {

  static final String OLD = "43.20251214.3.0";
  static final String NEW = "43.20260105.3.0";
  static final String FINALIZE = "rpm-ostree finalize-deployment";

  final ManualClock clock = new ManualClock();
  final MemoryApi api = new MemoryApi("worker-1");
  RpmOstreeHost host;
  NodeAgent agent;

  /** The agent for this host; the backend's waits move the host's clock. */
  RpmOstreeHost on(RpmOstreeHost model) {
    host = model;
    agent =
        new NodeAgent(
            "worker-1",
            new RpmOstreeBackend(
                OSFamily.FedoraCoreOS,
                host,
                host.hostBoot(),
                new SelinuxTools(host, host.state()),
                host::elapse),
            api,
            ModuleSources.inlineOnly(),
            new InertExecutor(),
            clock,
            new AgentSettings(
                Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofSeconds(1), 3),
            AgentMetrics.NONE);
    return host;
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

  List<List<String>> finalizes() {
    return host.commandsStartingWith("rpm-ostree", "finalize-deployment");
  }

  /** Stage, Apply, reboot: the new OS is booted and reported. */
  OSNodeStatus stageApplyAndBoot() {
    api.instruct(NEW, NodeAction.Stage, "s1");
    OSNodeStatus staged = until("s1");
    assertThat(staged.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(staged.getStaged().getVersion()).isEqualTo(NEW);
    assertThat(host.stagedLocked()).isTrue();
    assertThat(host.rebootAsked()).isEmpty();

    api.instruct(NEW, NodeAction.Apply, "a1");
    step(1);
    assertThat(host.rebootAsked()).contains(FINALIZE);
    host.boot();
    OSNodeStatus applied = until("a1");
    assertThat(applied.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(applied.getBooted().getVersion()).isEqualTo(NEW);
    assertThat(applied.getCurrentRevision()).isEqualTo(api.get().getSpec().getDesiredRevision());
    assertThat(host.bootedVersion()).isEqualTo(NEW);
    assertThat(host.boots()).isEqualTo(2);
    return applied;
  }

  @Test
  void anImageHostIsFinalizedByItsDigestThoughStatusShowsNoLockAndBootsTheNewOs() {
    on(RpmOstreeHost.followingImage(OLD).publish(NEW));

    stageApplyAndBoot();

    assertThat(host.commandsStartingWith("rpm-ostree", "upgrade"))
        .containsExactly(List.of("rpm-ostree", "upgrade", "--lock-finalization"));
    assertThat(finalizes())
        .singleElement()
        .satisfies(argv -> assertThat(argv.get(3)).startsWith("sha256:"));
    assertThat(host.commandsStartingWith("systemctl", "reboot")).isEmpty();
  }

  @Test
  void aLayeredHostFollowingARefIsFinalizedByItsBaseCommitAndBootsTheNewOs() {
    on(RpmOstreeHost.followingRef(OLD, "htop").publish(NEW));

    stageApplyAndBoot();

    assertThat(host.commandsStartingWith("rpm-ostree", "deploy"))
        .containsExactly(List.of("rpm-ostree", "deploy", "--lock-finalization", "version=" + NEW));
    assertThat(finalizes()).singleElement().satisfies(argv -> assertThat(argv.get(3)).hasSize(64));
  }

  @Test
  void anRpmOstreeBefore2025dot7IsFinalizedByTheBaseCommitItNamesWhenRefusingTheDigest() {
    on(RpmOstreeHost.followingImage(OLD).publish(NEW).before2025dot7());

    stageApplyAndBoot();

    assertThat(finalizes()).hasSize(2);
    assertThat(finalizes().get(1).get(3)).hasSize(64);
  }

  @Test
  void anUnplannedRebootAfterStagingBootsTheOldOsBecauseTheLockHolds() {
    on(RpmOstreeHost.followingImage(OLD).publish(NEW));
    api.instruct(NEW, NodeAction.Stage, "s1");
    until("s1");

    host.boot();

    assertThat(host.bootedVersion()).isEqualTo(OLD);
    assertThat(host.stagedVersion()).isEmpty();
  }

  @Test
  void rollbackWaitsOutAnotherClientsTransactionAndBootsThePreviousOs() {
    on(RpmOstreeHost.followingRef(OLD).publish(NEW));
    stageApplyAndBoot();
    host.otherClientTransaction("upgrade", Duration.ofSeconds(25));

    api.instruct(NEW, NodeAction.Rollback, "r1");
    step(1);
    assertThat(host.rebootAsked()).contains("rpm-ostree rollback --reboot");
    host.boot();
    OSNodeStatus rolledBack = until("r1");

    assertThat(rolledBack.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(host.bootedVersion()).isEqualTo(OLD);
    assertThat(rolledBack.getBooted().getVersion()).isEqualTo(OLD);
  }

  @Test
  void aRunningZincatiIsRefusedUntilItIsDisabledThenTheInstructionProceeds() {
    on(RpmOstreeHost.followingImage(OLD).publish(NEW)).zincati(true, true, true);
    api.instruct(NEW, NodeAction.Stage, "s1");

    OSNodeStatus refused = step(3);

    assertThat(refused.getObservedActionId()).isNull();
    assertThat(eligible(refused).getStatus()).isEqualTo(Condition.Status.False);
    assertThat(eligible(refused).getReason()).isEqualTo("UpdateDriverConflict");
    assertThat(eligible(refused).getMessage())
        .contains("Zincati (zincati.service) is registered")
        .contains("systemctl disable --now zincati.service");
    assertThat(host.commandsStartingWith("rpm-ostree", "upgrade")).isEmpty();

    host.zincati(false, false, true);
    OSNodeStatus fixed = until("s1");

    assertThat(fixed.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(eligible(fixed).getStatus()).isEqualTo(Condition.Status.True);
  }

  @Test
  void aZincatiWhoseConfigDisablesUpdatesNeverRegistersAndIsNoConflict() {
    on(RpmOstreeHost.followingImage(OLD).publish(NEW)).zincati(true, true, false);
    api.instruct(NEW, NodeAction.Stage, "s1");

    assertThat(until("s1").getActionState()).isEqualTo(ActionState.Succeeded);
  }

  @Test
  void anOpenShiftNodeIsRefusedBecauseTheMachineConfigOperatorUpdatesIt() {
    on(RpmOstreeHost.followingImage(OLD).publish(NEW)).machineConfigDaemon(true);
    api.instruct(NEW, NodeAction.Stage, "s1");

    OSNodeStatus refused = step(3);

    assertThat(refused.getObservedActionId()).isNull();
    assertThat(eligible(refused).getReason()).isEqualTo("ManagedByMachineConfigOperator");
    assertThat(eligible(refused).getMessage())
        .contains("/etc/machine-config-daemon exists")
        .contains("RHCOS under OpenShift is updated by the Machine Config Operator");
    assertThat(host.commandsStartingWith("rpm-ostree", "upgrade")).isEmpty();

    host.machineConfigDaemon(false);

    assertThat(until("s1").getActionState()).isEqualTo(ActionState.Succeeded);
  }
}
