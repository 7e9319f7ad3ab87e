package dev.refit.updater.backend.bottlerocket;

import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.BUSY;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.DONE;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.PIN;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.PREPARE;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.REFRESH;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.STATUS;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.TBU;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.UNINITIALIZED;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.UPDOG;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.OSTarget;
import dev.refit.updater.agent.StageProgress;
import dev.refit.updater.backend.ScriptedHost;
import dev.refit.updater.host.FakeCommandRunner.Answer;
import dev.refit.updater.host.HostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Staging on Bottlerocket: pin, wait for the rendered settings, refresh, prepare. */
class BottlerocketStagingTest {

  final ScriptedHost host = new ScriptedHost();
  final BottlerocketBackend backend = BottlerocketFakes.backend(host);

  List<List<String>> changes() {
    return BottlerocketFakes.changes(host.runner);
  }

  @Test
  void stagingPinsTheVersionAndRefreshesOnlyOnceTheSettingsApplierRenderedThePin()
      throws Exception {
    host.runner.answer(STATUS, UNINITIALIZED);
    host.runner.answer(PIN, DONE);
    host.runner.answer(
        UPDOG,
        ok("bottlerocket-updog-toml-refit-defaults.toml"),
        ok("bottlerocket-updog-toml-refit-pinned-1.20.toml"));
    host.runner.answer(TBU, ok("bottlerocket-thar-be-updates-toml-refit-pinned-1.20.toml"));
    host.runner.answer(REFRESH, DONE);
    OSTarget target = OSTarget.version("1.20.0");

    StageProgress first = backend.stage(target, null, null);
    assertThat(first).isInstanceOf(StageProgress.InProgress.class);
    assertThat(((StageProgress.InProgress) first).detail()).contains("version_lock = \"latest\"");
    assertThat(changes()).containsExactly(PIN);

    backend.stage(target, null, null);

    assertThat(host.runner.commands())
        .containsExactly(STATUS, PIN, UPDOG, STATUS, UPDOG, TBU, REFRESH);
  }

  @Test
  void anOlderHostWithoutTharBeUpdatesTomlRefreshesOnceUpdogTomlCarriesThePin() throws Exception {
    host.runner.answer(STATUS, UNINITIALIZED);
    host.runner.answer(PIN, DONE);
    host.runner.answer(UPDOG, ok("bottlerocket-updog-toml-refit-pinned-1.20.toml"));
    host.runner.answer(
        TBU,
        new Answer.Output(1, "", "cat: /etc/thar-be-updates.toml: No such file or directory\n"));
    host.runner.answer(REFRESH, DONE);

    backend.stage(OSTarget.version("1.20.0"), null, null);

    assertThat(changes()).containsExactly(PIN, REFRESH);
  }

  /** Pins and refreshes, leaving the status answers to the test. */
  void refreshed(Answer.Output... statusAfterRefresh) throws Exception {
    Answer.Output[] answers = new Answer.Output[statusAfterRefresh.length + 1];
    answers[0] = UNINITIALIZED;
    System.arraycopy(statusAfterRefresh, 0, answers, 1, statusAfterRefresh.length);
    host.runner.answer(STATUS, answers);
    host.runner.answer(PIN, DONE);
    host.runner.answer(UPDOG, ok("bottlerocket-updog-toml-refit-pinned-1.20.toml"));
    host.runner.answer(TBU, ok("bottlerocket-thar-be-updates-toml-refit-pinned-1.20.toml"));
    host.runner.answer(REFRESH, DONE);
    backend.stage(OSTarget.version("1.20.0"), null, null);
  }

  @Test
  void aRefreshThatChoseTheTargetIsFollowedByPrepareAndADownloadIsWaitedFor() throws Exception {
    refreshed(
        ok("bottlerocket-raw-updates-status-refit-available-1.20.json"),
        BUSY,
        ok("bottlerocket-raw-updates-status-refit-staged-1.20.json"));
    host.runner.answer(PREPARE, DONE);
    OSTarget target = OSTarget.version("1.20.0");

    assertThat(backend.stage(target, null, null)).isInstanceOf(StageProgress.InProgress.class);
    assertThat(backend.stage(target, null, null)).isInstanceOf(StageProgress.InProgress.class);
    assertThat(backend.stage(target, null, null)).isInstanceOf(StageProgress.Done.class);
    assertThat(changes()).containsExactly(PIN, REFRESH, PREPARE);
  }

  @Test
  void aPrepareThisInstructionPostedThatFailedIsReportedWithUpdogsWords() throws Exception {
    refreshed(
        ok("bottlerocket-raw-updates-status-refit-available-1.20.json"),
        ok("bottlerocket-raw-updates-status-refit-prepare-failed.json"));
    host.runner.answer(PREPARE, DONE);
    OSTarget target = OSTarget.version("1.20.0");
    backend.stage(target, null, null);

    assertThatThrownBy(() -> backend.stage(target, null, null))
        .hasMessageContaining("No space left on device")
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo("PrepareFailed");
  }

  @Test
  void aFailedPrepareFromAnEarlierInstructionIsNotHeldAgainstANewOne() throws Exception {
    host.runner.answer(STATUS, ok("bottlerocket-raw-updates-status-refit-prepare-failed.json"));
    host.runner.answer(PIN, DONE);
    host.runner.answer(UPDOG, ok("bottlerocket-updog-toml-refit-pinned-1.20.toml"));
    host.runner.answer(TBU, ok("bottlerocket-thar-be-updates-toml-refit-pinned-1.20.toml"));
    host.runner.answer(REFRESH, DONE);
    backend.instructionStarted("s2");

    StageProgress progress = backend.stage(OSTarget.version("1.20.0"), null, null);

    assertThat(progress).isInstanceOf(StageProgress.InProgress.class);
    assertThat(changes()).containsExactly(PIN, REFRESH);
  }

  @Test
  void aRefreshThatFailedIsReportedAsSuchNotAsAVersionNotOffered() throws Exception {
    refreshed(ok("bottlerocket-raw-updates-status-refit-refresh-failed.json"));

    assertThatThrownBy(() -> backend.stage(OSTarget.version("1.20.0"), null, null))
        .hasMessageContaining("Manifest not found in repository")
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo("RefreshFailed");
  }

  @Test
  void aRefreshThatDidNotChooseTheTargetMeansTheVersionIsNotOffered() throws Exception {
    refreshed(ok("bottlerocket-raw-updates-status-refit-after-reboot-1.20.json"));

    assertThatThrownBy(() -> backend.stage(OSTarget.version("1.20.0"), null, null))
        .hasMessageContaining("chose nothing")
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo("VersionNotOffered");
  }

  @Test
  void anotherVersionActivatedFailsTheStageNamingTheCancelAllowedInReady() {
    host.runner.answer(STATUS, ok("bottlerocket-updates-status-ready-v0.4.json"));

    assertThatThrownBy(() -> backend.stage(OSTarget.version("1.20.0"), null, null))
        .hasMessageContaining("0.4.0 activated (update state Ready)")
        .hasMessageContaining("apiclient update cancel")
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo("OtherUpdateActivated");
    assertThat(changes()).isEmpty();
  }

  @Test
  void aPreparedTargetIsStaged() throws Exception {
    host.runner.answer(STATUS, ok("bottlerocket-raw-updates-status-refit-staged-1.20.json"));

    assertThat(backend.stage(OSTarget.version("1.20.0"), null, null))
        .isInstanceOf(StageProgress.Done.class);
    assertThat(changes()).isEmpty();
  }
}
