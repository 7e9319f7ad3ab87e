package dev.refit.updater.backend.flatcar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.HostDeployment;
import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.updater.Fixtures;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.agent.StageProgress;
import dev.refit.updater.backend.ScriptedHost;
import dev.refit.updater.host.FakeCommandRunner.Answer;
import dev.refit.updater.host.HostException;
import dev.refit.updater.selinux.SelinuxFacts;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlatcarBackendTest {

  static final List<String> STATUS = List.of("update_engine_client", "-status");
  static final String IDLE_NEVER_CHECKED = "update-engine-client-status-idle-flatcar-3139.txt";
  static final String IDLE_CHECKED =
      "update-engine-client-status-refit-idle-after-check-flatcar.txt";
  final ScriptedHost host = new ScriptedHost();
  final FlatcarBackend backend = new FlatcarBackend(host.runner, host.boot, host.selinux);

  FlatcarBackendTest() {
    host.runner.succeed(
        List.of("cat", "/etc/os-release"), Fixtures.read("os-release-flatcar-3510.3.5-lts.txt"));
  }

  /** update_engine answers these, in order (the last repeats); nothing else reboots the host. */
  void status(String... fixtures) {
    host.runner.answer(
        STATUS,
        Arrays.stream(fixtures)
            .map(f -> new Answer.Output(0, Fixtures.read(f), ""))
            .toArray(Answer[]::new));
    FlatcarRebootManagersTest.noRebootManager(host);
  }

  /** The commands that change the host (reads of facts and preconditions left out). */
  List<List<String>> changes() {
    return host.actions().stream().filter(c -> !FlatcarRebootManagersTest.isProbe(c)).toList();
  }

  /** Facts as the agent would have read them, without using up scripted status answers. */
  static HostFacts facts(String booted, Optional<HostDeployment> staged) {
    return new HostFacts(
        OSFamily.Flatcar,
        new HostDeployment(booted, null, null, null),
        staged,
        Optional.empty(),
        ScriptedHost.BOOT_ID,
        SelinuxFacts.fixed(Optional.empty()),
        Optional.empty());
  }

  @Test
  void factsShowTheBootedVersionFromOsRelease() throws Exception {
    status(IDLE_NEVER_CHECKED);

    HostFacts facts = backend.facts();

    assertThat(facts.booted().getVersion()).isEqualTo("3510.3.5");
    assertThat(facts.staged()).isEmpty();
    assertThat(facts.eligible()).isTrue();
  }

  @Test
  void stagingAsksUpdateEngineToCheckAndThenPollsItsStatus() throws Exception {
    status(IDLE_NEVER_CHECKED);
    host.runner.succeed(FlatcarBackend.CHECK, "");

    StageProgress first = backend.stage(OSTarget.version("3815.2.1"), null, backend.facts());

    assertThat(first).isInstanceOf(StageProgress.InProgress.class);
    assertThat(changes()).containsExactly(List.of("update_engine_client", "-check_for_update"));
  }

  @Test
  void aCheckInProgressIsWaitedFor() throws Exception {
    status("update-engine-client-status-refit-checking-flatcar.txt");

    StageProgress progress = backend.stage(OSTarget.version("4459.1.0"), null, backend.facts());

    assertThat(((StageProgress.InProgress) progress).detail())
        .isEqualTo("update_engine: UPDATE_STATUS_CHECKING_FOR_UPDATE");
    assertThat(changes()).isEmpty();
  }

  @Test
  void aDownloadInProgressIsWaitedForAndShowsItsVersionAndProgress() throws Exception {
    status("update-engine-client-update-downloading-flatcar-3815.2.1-partial.txt");

    StageProgress progress = backend.stage(OSTarget.version("3815.2.1"), null, backend.facts());

    assertThat(((StageProgress.InProgress) progress).detail())
        .isEqualTo("update_engine: UPDATE_STATUS_DOWNLOADING 3815.2.1 (71%)");
  }

  @Test
  void anIdleEngineWhoseServerAnsweredTheCheckDidNotOfferTheVersion() throws Exception {
    status(IDLE_NEVER_CHECKED, IDLE_CHECKED);
    host.runner.succeed(FlatcarBackend.CHECK, "");
    HostFacts facts = facts("3510.3.5", Optional.empty());
    backend.stage(OSTarget.version("3815.2.1"), null, facts);

    assertThatThrownBy(() -> backend.stage(OSTarget.version("3815.2.1"), null, facts))
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(FlatcarBackend.VERSION_NOT_OFFERED))
        .hasMessageContaining("the update server answered at 2025-11-02T09:14:15Z")
        .hasMessageContaining("/etc/flatcar/update.conf");
  }

  @Test
  void aVersionNotOfferedForOneInstructionIsCheckedAgainForTheNext() throws Exception {
    status(IDLE_NEVER_CHECKED, IDLE_CHECKED);
    host.runner.succeed(FlatcarBackend.CHECK, "");
    HostFacts facts = facts("3510.3.5", Optional.empty());
    backend.instructionStarted("stage-1");
    backend.stage(OSTarget.version("3815.2.1"), null, facts);
    assertThatThrownBy(() -> backend.stage(OSTarget.version("3815.2.1"), null, facts))
        .hasMessageContaining("without installing 3815.2.1");

    backend.instructionStarted("stage-2");
    StageProgress again = backend.stage(OSTarget.version("3815.2.1"), null, facts);

    assertThat(again).isInstanceOf(StageProgress.InProgress.class);
    assertThat(changes()).containsExactly(FlatcarBackend.CHECK, FlatcarBackend.CHECK);
  }

  @Test
  void aCheckTheServerNeverAnsweredIsAFailedUpdateNotAVersionNotOffered() throws Exception {
    status(IDLE_NEVER_CHECKED);
    host.runner.succeed(FlatcarBackend.CHECK, "");
    HostFacts facts = facts("3510.3.5", Optional.empty());
    backend.stage(OSTarget.version("3815.2.1"), null, facts);

    assertThatThrownBy(() -> backend.stage(OSTarget.version("3815.2.1"), null, facts))
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(FlatcarBackend.UPDATE_FAILED))
        .hasMessageContaining("LAST_CHECKED_TIME did not change");
  }

  @Test
  void anErrorReportAfterTheCheckFailsTheStage() throws Exception {
    status(IDLE_NEVER_CHECKED, "update-engine-client-status-refit-reporting-error-flatcar.txt");
    host.runner.succeed(FlatcarBackend.CHECK, "");
    HostFacts facts = facts("3510.3.5", Optional.empty());
    backend.stage(OSTarget.version("4459.1.0"), null, facts);

    assertThatThrownBy(() -> backend.stage(OSTarget.version("4459.1.0"), null, facts))
        .hasMessageContaining("UPDATE_STATUS_REPORTING_ERROR_EVENT")
        .hasMessageContaining("journalctl -u update-engine");
  }

  @Test
  void anEarlierAttemptsErrorReportIsWaitedOutBeforeChecking() throws Exception {
    status("update-engine-client-status-refit-reporting-error-flatcar.txt");

    StageProgress progress =
        backend.stage(OSTarget.version("4459.1.0"), null, facts("3510.3.5", Optional.empty()));

    assertThat(progress).isInstanceOf(StageProgress.InProgress.class);
    assertThat(changes()).isEmpty();
  }

  @Test
  void anInstalledTargetNeedingARebootIsStaged() throws Exception {
    status("update-engine-client-update-need-reboot-flatcar-2079.3.2.txt");

    assertThat(backend.stage(OSTarget.version("2079.3.2"), null, backend.facts()))
        .isInstanceOf(StageProgress.Done.class);
    assertThat(backend.facts().staged().orElseThrow().getVersion()).isEqualTo("2079.3.2");
  }

  @Test
  void aCurrentReleaseNeedingARebootIsStagedWithItsVersion() throws Exception {
    status("update-engine-client-status-refit-need-reboot-flatcar-4459.1.0.txt");

    HostFacts facts = backend.facts();

    assertThat(facts.staged().orElseThrow().getVersion()).isEqualTo("4459.1.0");
    assertThat(backend.stage(OSTarget.version("4459.1.0"), null, facts))
        .isInstanceOf(StageProgress.Done.class);
  }

  @Test
  void anUpdateInstalledBeforeUpdateEngineRestartedIsStagedButOfUnknownVersion() throws Exception {
    status("update-engine-client-status-refit-need-reboot-after-restart.txt");

    HostFacts facts = backend.facts();

    assertThat(facts.staged()).contains(new HostDeployment(null, null, null, null));
    assertThat(facts.osRebootPending()).isTrue();
    assertThatThrownBy(() -> backend.stage(OSTarget.version("4459.1.0"), null, facts))
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(FlatcarBackend.STAGED_VERSION_UNKNOWN))
        .hasMessageContaining("NEW_VERSION=0.0.0")
        .hasMessageContaining("update_engine_client -reset_status");
    assertThat(changes()).isEmpty();
  }

  @Test
  void anOldReleaseReportingVersionZeroIsNotTakenForTheTarget() throws Exception {
    status("update-engine-client-status-need-reboot-coreos-cl-2016.txt");

    assertThatThrownBy(() -> backend.stage(OSTarget.version("3815.2.1"), null, backend.facts()))
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(FlatcarBackend.STAGED_VERSION_UNKNOWN));
  }

  @Test
  void anotherInstalledVersionFailsTheStageAndSaysWhatBootsNext() throws Exception {
    status("update-engine-client-status-refit-need-reboot-flatcar-4459.1.0.txt");

    assertThatThrownBy(() -> backend.stage(OSTarget.version("4426.1.0"), null, backend.facts()))
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(FlatcarBackend.OTHER_UPDATE_STAGED))
        .hasMessageStartingWith(
            "update_engine_client -status: update_engine installed 4459.1.0, not 4426.1.0; it"
                + " boots at the next reboot");
  }

  @Test
  void aRefusedDbusCallIsAClearError() {
    status("update-engine-client-status-dbus-error-null-flatcar-4426.txt");

    assertThatThrownBy(backend::facts).hasMessageContaining("D-Bus");
  }

  @Test
  void finalizeIsASystemdReboot() throws Exception {
    status("update-engine-client-update-need-reboot-flatcar-2079.3.2.txt");
    host.runner.succeed(List.of("systemctl", "reboot"), "");

    backend.finalizeAndReboot(backend.facts());

    assertThat(changes()).containsExactly(List.of("systemctl", "reboot"));
  }

  @Test
  void rollbackIsRefusedWithTheManualWays() {
    assertThatThrownBy(() -> backend.rollbackAndReboot(facts("3510.3.5", Optional.empty())))
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(FlatcarBackend.ROLLBACK_UNSUPPORTED))
        .hasMessageContaining("cgpt prioritize")
        .hasMessageContaining("flatcar-update");
    assertThat(changes()).isEmpty();
  }
}
