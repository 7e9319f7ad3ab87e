package dev.refit.updater.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.OSTarget;
import dev.refit.updater.Fixtures;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.host.FakeCommandRunner.Answer;
import dev.refit.updater.selinux.HostSelinuxMode;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class BottlerocketBackendTest {

  static final List<String> STATUS = List.of("apiclient", "raw", "-u", "/updates/status");
  final ScriptedHost host = new ScriptedHost();
  final BottlerocketBackend backend =
      new BottlerocketBackend(host.runner, host.boot, Clock.systemUTC());

  BottlerocketBackendTest() {
    host.runner.succeed(List.of("sestatus"), Fixtures.read("sestatus-bottlerocket-fortified.txt"));
    host.runner.succeed(
        List.of("cat", "/etc/os-release"),
        Fixtures.read("os-release-bottlerocket-1.2.0-aws-ecs-1-new-format.txt"));
  }

  void status(String fixture) {
    host.runner.succeed(STATUS, Fixtures.read(fixture));
  }

  void statusFails(String fixture) {
    host.runner.fail(STATUS, 1, Fixtures.read(fixture));
  }

  @Test
  void factsShowThePreparedPartitionAsStagedAndSelinuxAsFixed() throws Exception {
    status("bottlerocket-updates-status-staged-v0.4.json");

    HostFacts facts = backend.facts();

    assertThat(facts.booted().getVersion()).isEqualTo("0.3.4");
    assertThat(facts.staged().orElseThrow().getVersion()).isEqualTo("0.4.0");
    assertThat(facts.selinux().configurable()).isFalse();
    assertThat(facts.selinux().mode()).contains(HostSelinuxMode.ENFORCING);
  }

  @Test
  void anUninitializedUpdateApiFallsBackToOsReleaseForTheBootedVersion() throws Exception {
    statusFails("bottlerocket-raw-updates-status-404-uninitialized-pr942.txt");

    assertThat(backend.facts().booted().getVersion()).isEqualTo("1.2.0");
  }

  @Test
  void stagingPinsTheVersionAndRefreshesWhenTheTargetIsNotChosenYet() throws Exception {
    statusFails("bottlerocket-raw-updates-status-404-uninitialized-pr942.txt");
    List<String> lock = BottlerocketBackend.versionLock("1.19.2");
    host.runner.succeed(lock, "");
    host.runner.succeed(BottlerocketBackend.REFRESH, "");

    StageProgress progress = backend.stage(OSTarget.version("1.19.2"), null, backend.facts());

    assertThat(progress).isInstanceOf(StageProgress.InProgress.class);
    assertThat(host.actions())
        .containsExactly(
            List.of(
                "apiclient", "set", "updates.version-lock=v1.19.2", "updates.ignore-waves=true"),
            List.of("apiclient", "raw", "-u", "/actions/refresh-updates", "-m", "POST"));
  }

  @Test
  void aChosenTargetIsPreparedWhichLeavesTheRunningPartitionBooting() throws Exception {
    status("bottlerocket-updates-status-available-v0.4.json");
    host.runner.succeed(BottlerocketBackend.PREPARE, "");

    StageProgress progress = backend.stage(OSTarget.version("0.4.0"), null, backend.facts());

    assertThat(progress).isInstanceOf(StageProgress.InProgress.class);
    assertThat(host.actions())
        .containsExactly(
            List.of("apiclient", "raw", "-u", "/actions/prepare-update", "-m", "POST"));
  }

  @Test
  void aHeldUpdateLockMeansLookAgainLaterNotFail() throws Exception {
    status("bottlerocket-updates-status-available-v0.4.json");
    host.runner.answer(
        BottlerocketBackend.PREPARE,
        new Answer.Output(
            1, "", Fixtures.read("bottlerocket-update-apply-refit-423-update-lock-held.txt")));

    StageProgress progress = backend.stage(OSTarget.version("0.4.0"), null, backend.facts());

    assertThat(progress).isInstanceOf(StageProgress.InProgress.class);
    assertThat(((StageProgress.InProgress) progress).detail()).contains("LockHeld");
  }

  @Test
  void aPreparedTargetIsStaged() throws Exception {
    status("bottlerocket-updates-status-staged-v0.4.json");

    assertThat(backend.stage(OSTarget.version("0.4.0"), null, backend.facts()))
        .isInstanceOf(StageProgress.Done.class);
    assertThat(host.actions()).isEmpty();
  }

  @Test
  void finalizeActivatesThePreparedUpdateThenRebootsThroughTheApi() throws Exception {
    status("bottlerocket-updates-status-staged-v0.4.json");
    host.runner.succeed(BottlerocketBackend.ACTIVATE, "");
    host.runner.succeed(BottlerocketBackend.REBOOT, "");

    backend.finalizeAndReboot(backend.facts());

    assertThat(host.actions())
        .containsExactly(
            List.of("apiclient", "raw", "-u", "/actions/activate-update", "-m", "POST"),
            List.of("apiclient", "raw", "-u", "/actions/reboot", "-m", "POST"));
  }

  @Test
  void rollbackMarksTheInactivePartitionThenReboots() throws Exception {
    status("bottlerocket-updates-status-idle-v0.4.json");
    host.runner.succeed(BottlerocketBackend.ROLLBACK, "");
    host.runner.succeed(BottlerocketBackend.REBOOT, "");

    backend.rollbackAndReboot(backend.facts());

    assertThat(host.actions())
        .containsExactly(List.of("signpost", "rollback-to-inactive"), BottlerocketBackend.REBOOT);
  }

  @Test
  void aStatusReadBlockedByTheLockIsAnErrorNamingTheLock() {
    statusFails("bottlerocket-raw-updates-status-423-shared-lock-pr942.txt");

    assertThatThrownBy(backend::facts)
        .isInstanceOf(HostException.class)
        .hasMessageContaining("update lock held")
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo("UpdateLockHeld");
  }

  @Test
  void truncatedStatusIsRejected() {
    status("bottlerocket-update-check-refit-truncated.json");

    assertThatThrownBy(backend::facts)
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo(HostException.UNPARSEABLE_OUTPUT);
  }
}
