package dev.refit.updater.backend.bottlerocket;

import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.ACTIVATE;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.BUSY;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.DEACTIVATE;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.DONE;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.GRACE;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.LABELS;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.NOW;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.REBOOT;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.SIGNPOST;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.STATUS;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.UNINITIALIZED;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.fails;
import static dev.refit.updater.backend.bottlerocket.BottlerocketFakes.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.agent.RebootRequest;
import dev.refit.updater.backend.ScriptedHost;
import dev.refit.updater.host.FakeCommandRunner.Answer;
import dev.refit.updater.host.HostException;
import dev.refit.updater.selinux.HostSelinuxMode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BottlerocketBackendTest {

  final ScriptedHost host = new ScriptedHost();
  final BottlerocketBackend backend = BottlerocketFakes.backend(host);

  /** Scripts the other fact reads: the node labels in the settings, and signpost's answers. */
  void diskAndLabels(String labels, String... signpost) {
    host.runner.answer(LABELS, ok(labels));
    host.runner.answer(
        SIGNPOST, Arrays.stream(signpost).map(f -> ok(f)).toArray(Answer.Output[]::new));
  }

  void disk(String... signpost) {
    diskAndLabels("bottlerocket-raw-settings-node-labels-refit-none.json", signpost);
  }

  List<List<String>> changes() {
    return BottlerocketFakes.changes(host.runner);
  }

  @Test
  void factsShowThePreparedPartitionAsStagedAndSelinuxAsFixed() throws Exception {
    host.runner.answer(STATUS, ok("bottlerocket-updates-status-staged-v0.4.json"));
    disk("signpost-status-refit-prepared-b.txt");

    HostFacts facts = backend.facts();

    assertThat(facts.booted().getVersion()).isEqualTo("0.3.4");
    assertThat(facts.staged().orElseThrow().getVersion()).isEqualTo("0.4.0");
    assertThat(facts.rollback()).isEmpty();
    assertThat(facts.selinux().configurable()).isFalse();
    assertThat(facts.selinux().mode()).contains(HostSelinuxMode.ENFORCING);
    assertThat(facts.eligible()).isTrue();
  }

  @Test
  void aDownloadHoldingTheUpdateLockLeavesTheFactsAsLastReadInThisBoot() throws Exception {
    host.runner.answer(
        STATUS, ok("bottlerocket-raw-updates-status-refit-available-1.20.json"), BUSY);
    disk("signpost-status-refit-prepared-b.txt");
    backend.facts();

    HostFacts during = backend.facts();

    assertThat(during.booted().getVersion()).isEqualTo("1.19.2");
    assertThat(during.staged()).isEmpty();
  }

  @Test
  void aLockHeldBeforeAnyReadInThisBootFallsBackToOsReleaseNotToAFailure() throws Exception {
    host.runner.answer(STATUS, BUSY);
    disk("signpost-status-refit-prepared-b.txt");

    assertThat(backend.facts().booted().getVersion()).isEqualTo("1.2.0");
  }

  @Test
  void afterABootEmptiedTheStatusTheRollbackComesFromSignpost() throws Exception {
    host.runner.answer(STATUS, UNINITIALIZED);
    disk("signpost-status-0.3-booted-b-rollback-a.txt");

    HostFacts facts = backend.facts();

    assertThat(facts.booted().getVersion()).isEqualTo("1.2.0");
    assertThat(facts.staged()).isEmpty();
    assertThat(facts.rollback()).isPresent();
  }

  @Test
  void anActivatedUpdateIsStagedAndOffersNoRollback() throws Exception {
    host.runner.answer(STATUS, ok("bottlerocket-raw-updates-status-refit-ready-1.20.json"));
    disk("signpost-status-0.3-activated-a.txt");

    HostFacts facts = backend.facts();

    assertThat(facts.staged().orElseThrow().getVersion()).isEqualTo("1.20.0");
    assertThat(facts.rollback()).isEmpty();
  }

  @Test
  void settingsThatScheduleTheUpdateOperatorOnThisNodeMakeTheHostIneligible() throws Exception {
    host.runner.answer(STATUS, UNINITIALIZED);
    diskAndLabels(
        "bottlerocket-raw-settings-node-labels-refit-update-operator.json",
        "signpost-status-refit-never-updated.txt");

    HostFacts facts = backend.facts();

    assertThat(facts.eligible()).isFalse();
    assertThat(facts.refusals().get(0).reason()).isEqualTo("UpdateOperatorScheduled");
    assertThat(facts.refusals().get(0).message())
        .contains("bottlerocket.aws/updater-interface-version=2.0.0")
        .contains("kubectl label node <node> bottlerocket.aws/updater-interface-version-");
  }

  @Test
  void anArmedHostWhoseRebootDidNotComeWithinTheGraceIsDeactivated() throws Exception {
    host.boot.record(
        new RebootRequest("a1", ScriptedHost.BOOT_ID, NOW.minus(GRACE).minusSeconds(1)));
    host.runner.answer(
        STATUS,
        ok("bottlerocket-raw-updates-status-refit-ready-1.20.json"),
        ok("bottlerocket-raw-updates-status-refit-ready-1.20.json"),
        BUSY,
        ok("bottlerocket-raw-updates-status-refit-deactivated-1.20.json"));
    disk("signpost-status-0.3-activated-a.txt", "signpost-status-0.3-booted-b-rollback-a.txt");
    host.runner.answer(DEACTIVATE, DONE);

    HostFacts facts = backend.facts();

    assertThat(changes()).containsExactly(DEACTIVATE);
    assertThat(facts.staged().orElseThrow().getVersion()).isEqualTo("1.20.0");
  }

  @Test
  void anArmedHostWithinTheGraceIsLeftToTheRebootTheAgentAskedFor() throws Exception {
    host.boot.record(new RebootRequest("a1", ScriptedHost.BOOT_ID, NOW.minusSeconds(60)));
    host.runner.answer(STATUS, ok("bottlerocket-raw-updates-status-refit-ready-1.20.json"));
    disk("signpost-status-0.3-activated-a.txt");

    backend.facts();

    assertThat(changes()).isEmpty();
  }

  @Test
  void finalizeRebootsOnlyOnceTheUpdateApiShowsTheActivationWritten() throws Exception {
    host.runner.answer(
        STATUS,
        ok("bottlerocket-raw-updates-status-refit-staged-1.20.json"),
        BUSY,
        ok("bottlerocket-raw-updates-status-refit-ready-1.20.json"));
    host.runner.answer(ACTIVATE, DONE);
    host.runner.answer(REBOOT, DONE);

    backend.finalizeAndReboot(null);

    assertThat(host.runner.commands()).containsExactly(STATUS, ACTIVATE, STATUS, STATUS, REBOOT);
  }

  @Test
  void anActivationThatFailedIsReportedAndNoRebootIsAsked() {
    host.runner.answer(
        STATUS,
        ok("bottlerocket-raw-updates-status-refit-staged-1.20.json"),
        ok("bottlerocket-raw-updates-status-refit-activate-failed.json"));
    host.runner.answer(ACTIVATE, DONE);

    assertThatThrownBy(() -> backend.finalizeAndReboot(null))
        .hasMessageContaining("has not been marked valid for upgrade")
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo("ActivateFailed");
    assertThat(changes()).containsExactly(ACTIVATE);
  }

  @Test
  void anActivateRefusedForAHeldLockIsPostedAgainOnceTheLockIsFree() throws Exception {
    host.runner.answer(
        STATUS,
        ok("bottlerocket-raw-updates-status-refit-staged-1.20.json"),
        ok("bottlerocket-raw-updates-status-refit-ready-1.20.json"));
    host.runner.answer(
        ACTIVATE, fails("bottlerocket-raw-activate-refit-423-update-lock-held.txt"), DONE);
    host.runner.answer(REBOOT, DONE);

    backend.finalizeAndReboot(null);

    assertThat(changes()).containsExactly(ACTIVATE, ACTIVATE, REBOOT);
  }

  @Test
  void aRebootTheApiRefusesIsReportedAndTheActivationUndone() {
    host.runner.answer(
        STATUS,
        ok("bottlerocket-raw-updates-status-refit-ready-1.20.json"),
        ok("bottlerocket-raw-updates-status-refit-ready-1.20.json"),
        ok("bottlerocket-raw-updates-status-refit-deactivated-1.20.json"));
    host.runner.answer(REBOOT, fails("bottlerocket-raw-reboot-refit-500-inhibited.txt"));
    host.runner.answer(DEACTIVATE, DONE);

    assertThatThrownBy(() -> backend.finalizeAndReboot(null))
        .hasMessageContaining("Operation inhibited by \"backup\"")
        .hasMessageContaining("systemd-inhibit --list")
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo("RebootRefused");
    assertThat(changes()).containsExactly(REBOOT, DEACTIVATE);
  }

  @Test
  void rollbackPrioritisesTheInactiveSetThenRebootsThroughTheApi() throws Exception {
    host.runner.answer(SIGNPOST, ok("signpost-status-0.3-booted-b-rollback-a.txt"));
    host.runner.answer(List.of("signpost", "rollback-to-inactive"), DONE);
    host.runner.answer(REBOOT, DONE);

    backend.rollbackAndReboot(null);

    assertThat(changes()).containsExactly(List.of("signpost", "rollback-to-inactive"), REBOOT);
  }

  @Test
  void aRollbackRebootTheApiRefusesIsCancelledOnTheDisk() {
    host.runner.answer(SIGNPOST, ok("signpost-status-0.3-booted-b-rollback-a.txt"));
    host.runner.answer(List.of("signpost", "rollback-to-inactive"), DONE);
    host.runner.answer(List.of("signpost", "cancel-upgrade"), DONE);
    host.runner.answer(REBOOT, fails("bottlerocket-raw-reboot-refit-500-inhibited.txt"));

    assertThatThrownBy(() -> backend.rollbackAndReboot(null))
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo("RebootRefused");
    assertThat(changes())
        .containsExactly(
            List.of("signpost", "rollback-to-inactive"),
            REBOOT,
            List.of("signpost", "cancel-upgrade"));
  }

  @Test
  void truncatedStatusIsRejected() {
    host.runner.answer(STATUS, ok("bottlerocket-update-check-refit-truncated.json"));
    disk("signpost-status-refit-never-updated.txt");

    assertThatThrownBy(backend::facts)
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo(HostException.UNPARSEABLE_OUTPUT);
  }
}
