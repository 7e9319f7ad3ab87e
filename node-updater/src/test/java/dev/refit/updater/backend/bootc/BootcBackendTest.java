package dev.refit.updater.backend.bootc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.OSTarget;
import dev.refit.updater.Fixtures;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.agent.HostRefusal;
import dev.refit.updater.agent.StageProgress;
import dev.refit.updater.backend.ScriptedHost;
import dev.refit.updater.host.FakeCommandRunner.Answer;
import dev.refit.updater.host.HostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootcBackendTest {

  static final List<String> STATUS = List.of("bootc", "status", "--format=json");
  static final List<String> LEGACY_STATUS = List.of("bootc", "status", "--json");
  static final List<String> TIMER_ENABLED =
      List.of("systemctl", "is-enabled", "bootc-fetch-apply-updates.timer");
  static final List<String> TIMER_ACTIVE =
      List.of("systemctl", "is-active", "bootc-fetch-apply-updates.timer");
  static final List<String> SERVICE_ACTIVE =
      List.of("systemctl", "is-active", "bootc-fetch-apply-updates.service");
  static final List<String> REBOOT = List.of("systemctl", "reboot");
  static final String DOWNLOAD_ONLY = "bootc-status-v1-refit-staged-download-only.json";

  final ScriptedHost host = new ScriptedHost();
  final BootcBackend backend = new BootcBackend(host.runner, host.boot, host.selinux);

  boolean unitsScripted;

  /** bootc status answers with the fixture; the update timer is masked unless a test said else. */
  void status(String fixture) {
    host.runner.succeed(STATUS, Fixtures.read(fixture));
    if (!unitsScripted) {
      units("masked", "inactive", "inactive");
    }
  }

  void units(String timerEnabled, String timerActive, String serviceActive) {
    unitsScripted = true;
    host.runner.answer(TIMER_ENABLED, out(timerEnabled.equals("enabled") ? 0 : 1, timerEnabled));
    host.runner.answer(TIMER_ACTIVE, out(timerActive.equals("active") ? 0 : 3, timerActive));
    host.runner.answer(SERVICE_ACTIVE, out(serviceActive.equals("active") ? 0 : 3, serviceActive));
  }

  static Answer out(int code, String word) {
    return new Answer.Output(code, word + "\n", "");
  }

  /** The commands that change the host (ScriptedHost.actions() without the unit queries). */
  List<List<String>> actions() {
    return host.actions().stream()
        .filter(c -> !c.contains("systemctl") || c.equals(REBOOT))
        .toList();
  }

  @Test
  void factsShowBootedAndStagedImagesByDigest() throws Exception {
    status("bootc-status-v1alpha1-staged-booted-fixture.yaml");

    HostFacts facts = backend.facts();

    assertThat(facts.booted().getImage()).isEqualTo("quay.io/example/someimage:latest");
    assertThat(facts.booted().getDigest()).startsWith("sha256:736b3594");
    assertThat(facts.staged().orElseThrow().getDigest()).startsWith("sha256:16dc2b62");
    assertThat(facts.refusals()).isEmpty();
  }

  @Test
  void anArmedUpdateTimerMakesTheHostIneligibleAndSaysHowToMaskIt() throws Exception {
    units("enabled", "active", "inactive");
    status("bootc-status-v1alpha1-only-booted-fixture.yaml");

    HostFacts facts = backend.facts();

    assertThat(facts.refusals())
        .extracting(HostRefusal::reason)
        .containsExactly("AutoUpdateTimerEnabled");
    assertThat(facts.refusals().get(0).message())
        .contains("is-enabled: enabled, is-active: active")
        .contains("bootc upgrade --apply")
        .contains("systemctl mask --now bootc-fetch-apply-updates.timer");
    assertThat(host.runner.commands()).contains(TIMER_ENABLED, TIMER_ACTIVE, SERVICE_ACTIVE);
  }

  @Test
  void aTimerThatIsOnlyEnabledIsRefusedBecauseItStartsAtTheNextBoot() throws Exception {
    units("enabled", "inactive", "inactive");
    status("bootc-status-v1alpha1-only-booted-fixture.yaml");

    assertThat(backend.facts().refusals())
        .extracting(HostRefusal::reason)
        .containsExactly("AutoUpdateTimerEnabled");
  }

  @Test
  void aRunningUpdateServiceIsRefusedEvenWithTheTimerMasked() throws Exception {
    units("masked", "inactive", "activating");
    status("bootc-status-v1alpha1-only-booted-fixture.yaml");

    HostFacts facts = backend.facts();

    assertThat(facts.refusals())
        .extracting(HostRefusal::reason)
        .containsExactly("AutoUpdateInProgress");
    assertThat(facts.refusals().get(0).message()).contains("is-active: activating");
  }

  @Test
  void aTimerUnitOlderSystemdCannotFindLeavesTheHostEligible() throws Exception {
    host.runner.answer(
        TIMER_ENABLED,
        new Answer.Output(
            1,
            "",
            "Failed to get unit file state for bootc-fetch-apply-updates.timer: No such file or"
                + " directory\n"));
    host.runner.answer(TIMER_ACTIVE, out(3, "inactive"));
    host.runner.answer(SERVICE_ACTIVE, out(3, "inactive"));
    unitsScripted = true;
    status("bootc-status-v1alpha1-only-booted-fixture.yaml");

    assertThat(backend.facts().refusals()).isEmpty();
  }

  @Test
  void anUnreadableUnitStateIsAnErrorNotARefusal() {
    host.runner.answer(
        TIMER_ENABLED,
        new Answer.Output(1, "", "Failed to connect to bus: No such file or directory\n"));
    unitsScripted = true;
    status("bootc-status-v1alpha1-only-booted-fixture.yaml");

    assertThatThrownBy(backend::facts)
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo(HostException.UNPARSEABLE_OUTPUT);
  }

  @Test
  void aBootcWithoutTheFormatFlagIsReadThroughJsonAndAskedOnlyOnce() throws Exception {
    units("masked", "inactive", "inactive");
    host.runner.fail(STATUS, 2, Fixtures.read("bootc-status-refit-format-rejected-clap4.txt"));
    host.runner.succeed(LEGACY_STATUS, Fixtures.read("bootc-status-v1alpha1-booted-rollback.json"));

    backend.facts();
    HostFacts facts = backend.facts();

    assertThat(facts.booted().getImage()).isEqualTo("192.168.124.1:5000/bootc-insights:latest");
    assertThat(host.runner.commands().stream().filter(c -> c.get(0).equals("bootc")))
        .containsExactly(STATUS, LEGACY_STATUS, LEGACY_STATUS);
  }

  @Test
  void anotherStatusFailureIsNotMistakenForAnOldBootc() {
    host.runner.fail(STATUS, 1, "error: Status: Opening sysroot: Permission denied\n");

    assertThatThrownBy(backend::facts)
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo(HostException.COMMAND_FAILED);
    assertThat(host.runner.commands()).doesNotContain(LEGACY_STATUS);
  }

  @Test
  void stagingSwitchesLockedAgainstAnUnplannedReboot() throws Exception {
    status("bootc-status-v1alpha1-booted-rollback.json");
    String target = "quay.io/example/node@sha256:" + "e".repeat(64);
    host.runner.succeed(List.of("bootc", "switch", "--download-only", target), "");

    StageProgress progress = backend.stage(OSTarget.image(target), null, backend.facts());

    assertThat(progress).isInstanceOf(StageProgress.Done.class);
    assertThat(actions()).containsExactly(List.of("bootc", "switch", "--download-only", target));
  }

  @Test
  void aBootcWithoutSwitchDownloadOnlySwitchesThenLocksWithUpgrade() throws Exception {
    status("bootc-status-v1alpha1-booted-rollback.json");
    String target = "quay.io/example/node:2";
    host.runner.fail(
        List.of("bootc", "switch", "--download-only", target),
        2,
        "error: unexpected argument '--download-only' found\n");
    host.runner.succeed(List.of("bootc", "switch", target), "");
    host.runner.succeed(List.of("bootc", "upgrade", "--download-only"), "");

    backend.stage(OSTarget.image(target), null, backend.facts());

    assertThat(actions())
        .containsExactly(
            List.of("bootc", "switch", "--download-only", target),
            List.of("bootc", "switch", target),
            List.of("bootc", "upgrade", "--download-only"));
  }

  @Test
  void switchingFromAnImageVerifiedByPolicyKeepsTheVerification() throws Exception {
    status(DOWNLOAD_ONLY);
    String target = "registry.example.com/os/refit-node@sha256:" + "f".repeat(64);
    List<String> expected =
        List.of("bootc", "switch", "--enforce-container-sigpolicy", "--download-only", target);
    host.runner.succeed(expected, "");

    backend.stage(OSTarget.image(target), null, backend.facts());

    assertThat(actions()).containsExactly(expected);
  }

  @Test
  void aHostVerifiedThroughAnOstreeRemoteIsNotSwitchedToAnUnverifiedImage() {
    status("bootc-status-v1-refit-booted-ostree-remote.json");
    String target = "quay.io/fedora/fedora-bootc:44";

    assertThatThrownBy(() -> backend.stage(OSTarget.image(target), null, backend.facts()))
        .isInstanceOf(HostException.class)
        .hasMessageContaining("ostree remote 'fedora'")
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo(BootcBackend.VERIFICATION_NOT_KEPT);
    assertThat(actions()).isEmpty();
  }

  @Test
  void theStagedDigestIsNotSwitchedToAgain() throws Exception {
    status("bootc-status-v1alpha1-staged-booted-fixture.yaml");
    String staged =
        "quay.io/example/someimage@sha256:16dc2b6256b4ff0d2ec18d2dbfb06d117904010c8cf9732cdb022818cf7a7566";

    backend.stage(OSTarget.image(staged), null, backend.facts());

    assertThat(actions()).isEmpty();
  }

  @Test
  void aDownloadOnlyStagedImageIsReportedStagedAndUnlockedBeforeTheReboot() throws Exception {
    units("masked", "inactive", "inactive");
    String locked = Fixtures.read(DOWNLOAD_ONLY);
    // facts, the read before the unlock, the read after it
    host.runner.succeed(STATUS, locked);
    host.runner.succeed(STATUS, locked);
    host.runner.succeed(STATUS, locked.replace("\"downloadOnly\":true", "\"downloadOnly\":false"));
    host.runner.succeed(
        BootcBackend.UNLOCK_STAGED, "Staged deployment will now be applied on reboot\n");
    host.runner.succeed(REBOOT, "");

    HostFacts facts = backend.facts();
    assertThat(facts.staged().orElseThrow().getDigest()).isEqualTo("sha256:" + "7".repeat(64));
    backend.finalizeAndReboot(facts);

    assertThat(actions()).containsExactly(List.of("bootc", "upgrade", "--from-downloaded"), REBOOT);
  }

  @Test
  void noRebootWhenUnlockingLeftAnotherImageStaged() {
    units("masked", "inactive", "inactive");
    String locked = Fixtures.read(DOWNLOAD_ONLY);
    host.runner.succeed(STATUS, locked);
    host.runner.succeed(STATUS, locked);
    host.runner.succeed(
        STATUS,
        locked.replace("\"downloadOnly\":true", "\"downloadOnly\":false").replace("7777", "1111"));
    host.runner.fail(
        BootcBackend.UNLOCK_STAGED, 2, "error: unexpected argument '--from-downloaded' found\n");
    host.runner.succeed(List.of("bootc", "upgrade"), "");

    assertThatThrownBy(() -> backend.finalizeAndReboot(backend.facts()))
        .isInstanceOf(HostException.class)
        .hasMessageContaining("not rebooting");
    assertThat(actions())
        .containsExactly(
            List.of("bootc", "upgrade", "--from-downloaded"), List.of("bootc", "upgrade"));
  }

  @Test
  void finalizeIsASystemdReboot() throws Exception {
    status("bootc-status-v1alpha1-staged-booted-fixture.yaml");
    host.runner.succeed(REBOOT, "");

    backend.finalizeAndReboot(backend.facts());

    assertThat(actions()).containsExactly(REBOOT);
  }

  @Test
  void rollbackQueuesTheRollbackOnceThenReboots() throws Exception {
    status("bootc-status-v1alpha1-booted-rollback.json");
    host.runner.succeed(BootcBackend.ROLLBACK, "");
    host.runner.succeed(REBOOT, "");

    backend.rollbackAndReboot(backend.facts());

    assertThat(actions()).containsExactly(BootcBackend.ROLLBACK, REBOOT);
  }

  @Test
  void aHostBootcDoesNotManageIsAClearError() {
    status("bootc-status-v1-all-null-fixture.json");

    assertThatThrownBy(backend::facts)
        .isInstanceOf(HostException.class)
        .hasMessageContaining("not a bootc host")
        .hasMessageContaining("`container` environment variable");
  }

  @Test
  void theHumanFormatIsRejectedWithAHint() {
    status("bootc-status-humanreadable-fedora-bootc-41-booted-only.txt");

    assertThatThrownBy(backend::facts).hasMessageContaining("--format=json");
  }

  @Test
  void truncatedJsonIsRejected() {
    status("bootc-status-refit-truncated.json");

    assertThatThrownBy(backend::facts)
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo(HostException.UNPARSEABLE_OUTPUT);
  }
}
