package dev.refit.updater.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ActionState;
import dev.refit.api.Condition;
import dev.refit.api.NodeAction;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.OSTarget;
import dev.refit.api.RefitApi;
import dev.refit.api.Revisions;
import dev.refit.updater.backend.bootc.BootcBackend;
import dev.refit.updater.host.HostCommandRunner;
import dev.refit.updater.hostmodel.BootcHost;
import dev.refit.updater.selinux.SelinuxTools;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real agent over the bootc backend over a model of an image-mode host. */
class BootcHostModelTest {

  static final String REPO = "registry.example.com/os/node";
  static final String TAG = REPO + ":stable";
  static final String OLD = "sha256:" + "1".repeat(64);
  static final String NEW = "sha256:" + "2".repeat(64);
  static final String TARGET = REPO + "@" + NEW;

  final ManualClock clock = new ManualClock();
  final ImageApi api = new ImageApi();
  final BootcHost host = new BootcHost(TAG, OLD, "43.1").publish(REPO + ":next", NEW, "43.2");
  final NodeAgent agent =
      new NodeAgent(
          "worker-1",
          new BootcBackend(host, host.hostBoot(), new SelinuxTools(host, host.state())),
          api,
          ModuleSources.inlineOnly(),
          new InertExecutor(),
          clock,
          new AgentSettings(
              Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofSeconds(1), 3),
          AgentMetrics.NONE);

  /** What a platform team does first: bootc's own update timer masked and stopped. */
  void timerMasked() {
    host.unit(BootcHost.UPDATE_TIMER, false, false);
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

  /** The bootc commands that change the host (every verb but status), in order. */
  List<List<String>> bootcChanges() {
    return host.commandsStartingWith("bootc").stream()
        .filter(c -> !c.get(1).equals("status"))
        .toList();
  }

  static Condition eligible(OSNodeStatus status) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(RefitApi.ELIGIBLE))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aStageThenAnApplyBootTheTargetOnceAndARollbackBootsTheOldImageAgain() {
    timerMasked();
    api.instruct(TARGET, NodeAction.Stage, "s1");

    OSNodeStatus staged = until("s1");

    assertThat(staged.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(staged.getStaged().getDigest()).isEqualTo(NEW);
    assertThat(bootcChanges())
        .containsExactly(List.of("bootc", "switch", "--download-only", TARGET));
    assertThat(host.stagedLocked()).isTrue();
    assertThat(host.rebootAsked()).isEmpty();

    api.instruct(TARGET, NodeAction.Apply, "a1");
    step(1);
    assertThat(bootcChanges()).endsWith(List.of("bootc", "upgrade", "--from-downloaded"));
    assertThat(host.rebootAsked()).contains("systemctl reboot");
    host.boot();
    OSNodeStatus applied = until("a1");

    assertThat(applied.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(host.booted().digest()).isEqualTo(NEW);
    assertThat(host.boots()).isEqualTo(2);
    assertThat(applied.getBooted().getDigest()).isEqualTo(NEW);
    assertThat(applied.getRollback().getDigest()).isEqualTo(OLD);
    assertThat(applied.getCurrentRevision()).isEqualTo(api.get().getSpec().getDesiredRevision());

    api.instruct(TARGET, NodeAction.Rollback, "r1");
    step(1);
    assertThat(host.rollbackQueued()).isTrue();
    assertThat(bootcChanges()).endsWith(List.of("bootc", "rollback"));
    host.boot();
    OSNodeStatus rolledBack = until("r1");

    assertThat(rolledBack.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(rolledBack.getBooted().getDigest()).isEqualTo(OLD);
    assertThat(host.boots()).isEqualTo(3);
  }

  @Test
  void anUnplannedRebootBetweenStageAndApplyBootsTheOldImage() {
    timerMasked();
    api.instruct(TARGET, NodeAction.Stage, "s1");
    until("s1");

    host.boot();
    OSNodeStatus after = step(1);

    assertThat(host.booted().digest()).isEqualTo(OLD);
    assertThat(host.staged()).isNull();
    assertThat(after.getBooted().getDigest()).isEqualTo(OLD);
    assertThat(after.getStaged()).isNull();
  }

  @Test
  void aStockHostIsRefusedBecauseItsUpdateTimerRebootsItAndProceedsOnceMasked() {
    api.instruct(TARGET, NodeAction.Stage, "s1");

    OSNodeStatus status = step(3);

    assertThat(status.getObservedActionId()).isNull();
    assertThat(eligible(status).getStatus()).isEqualTo(Condition.Status.False);
    assertThat(eligible(status).getReason()).isEqualTo(BootcBackend.AUTO_UPDATE_TIMER);
    assertThat(eligible(status).getMessage())
        .contains("bootc-fetch-apply-updates.timer is armed")
        .contains("systemctl mask --now bootc-fetch-apply-updates.timer");
    assertThat(bootcChanges()).isEmpty();

    timerMasked();
    OSNodeStatus fixed = until("s1");

    assertThat(fixed.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(eligible(fixed).getStatus()).isEqualTo(Condition.Status.True);
    assertThat(host.staged().digest()).isEqualTo(NEW);
  }

  @Test
  void theArmedTimerRebootsTheHostIntoWhateverItsTagNowNamesWithoutAnyDrain() {
    host.publish(TAG, NEW, "43.2");

    host.updateTimerElapses();

    assertThat(host.rebootAsked()).contains(BootcHost.UPDATE_SERVICE);
    host.boot();
    assertThat(host.booted().digest()).isEqualTo(NEW);
    assertThat(host.unit(BootcHost.UPDATE_TIMER).active()).isTrue();
  }

  @Test
  void aHostVerifiedByPolicyStaysVerifiedAfterTheSwitch() {
    timerMasked();
    host.bootedSignature("containerPolicy");
    api.instruct(TARGET, NodeAction.Stage, "s1");

    until("s1");

    assertThat(bootcChanges())
        .containsExactly(
            List.of("bootc", "switch", "--enforce-container-sigpolicy", "--download-only", TARGET));
    assertThat(host.staged().signature()).isEqualTo("containerPolicy");
  }

  @Test
  void theContainerVariableMakesBootcReportNothingWhileTheRunnersOwnEnvironmentDoesNot() {
    timerMasked();
    host.commandEnvironment(Map.of("container", "oci"));
    api.instruct(TARGET, NodeAction.Stage, "s1");

    OSNodeStatus hidden = step(1);

    assertThat(hidden.getLastError().getMessage())
        .contains("not a bootc host")
        .contains("`container` environment variable");
    assertThat(host.execute(List.of("bootc", "switch", TARGET), Duration.ofMinutes(1)).stderr())
        .contains("Detected container; this command requires a booted host system.");

    host.commandEnvironment(HostCommandRunner.ENVIRONMENT);
    OSNodeStatus seen = until("s1");

    assertThat(seen.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(host.staged().digest()).isEqualTo(NEW);
  }

  @Test
  void aBootcWithoutFormatOrDownloadOnlyIsReadThroughJsonAndStagedUnlocked() {
    timerMasked();
    host.cli(BootcHost.Cli.BEFORE_FORMAT_FLAG);
    api.instruct(TARGET, NodeAction.Stage, "s1");

    assertThat(until("s1").getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(host.commandsStartingWith("bootc", "status", "--json")).isNotEmpty();
    assertThat(host.stagedLocked()).isFalse();

    api.instruct(TARGET, NodeAction.Apply, "a1");
    step(1);
    host.boot();

    assertThat(until("a1").getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(host.booted().digest()).isEqualTo(NEW);
    assertThat(host.commandsStartingWith("bootc", "upgrade", "--from-downloaded")).isEmpty();
  }

  @Test
  void aBootcWhoseSwitchCannotLockStillLocksWhatItStagedThroughUpgrade() {
    timerMasked();
    host.cli(BootcHost.Cli.UPGRADE_DOWNLOAD_ONLY);
    api.instruct(TARGET, NodeAction.Stage, "s1");

    until("s1");

    assertThat(bootcChanges())
        .containsExactly(
            List.of("bootc", "switch", "--download-only", TARGET),
            List.of("bootc", "switch", TARGET),
            List.of("bootc", "upgrade", "--download-only"));
    assertThat(host.stagedLocked()).isTrue();
  }

  /** One OSNode kept in memory, instructed with an image target (bootc takes no versions). */
  static final class ImageApi implements StatusSink {

    private OSNode stored;
    private long version = 1;

    ImageApi() {
      stored = new OSNode();
      stored.setMetadata(
          new ObjectMetaBuilder()
              .withName("worker-1")
              .withResourceVersion("1")
              .withGeneration(1L)
              .build());
      stored.setSpec(new OSNodeSpec());
    }

    synchronized void instruct(String image, NodeAction action, String actionId) {
      OSNodeSpec spec = new OSNodeSpec();
      spec.setPolicy("workers");
      spec.setOs(OSTarget.image(image));
      spec.setDesiredRevision(Revisions.of(spec.getOs(), null));
      spec.setAction(action);
      spec.setActionId(actionId);
      OSNode next = copy(stored);
      next.setSpec(spec);
      next.getMetadata().setGeneration(next.getMetadata().getGeneration() + 1);
      next.getMetadata().setResourceVersion(Long.toString(++version));
      stored = next;
    }

    synchronized OSNode get() {
      return copy(stored);
    }

    synchronized OSNodeStatus status() {
      return copy(stored).getStatus();
    }

    @Override
    public synchronized OSNode write(OSNode osNode, OSNodeStatus status) {
      OSNode next = copy(stored);
      next.setStatus(Serialization.jsonMapper().convertValue(status, OSNodeStatus.class));
      next.getMetadata().setResourceVersion(Long.toString(++version));
      stored = next;
      return copy(stored);
    }

    private static OSNode copy(OSNode o) {
      return Serialization.jsonMapper().convertValue(o, OSNode.class);
    }
  }
}
