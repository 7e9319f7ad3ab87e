package dev.refit.updater.backend.rpmostree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.updater.Fixtures;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.agent.StageProgress;
import dev.refit.updater.backend.CommandBackend;
import dev.refit.updater.backend.ScriptedHost;
import dev.refit.updater.host.FakeCommandRunner;
import dev.refit.updater.host.FakeCommandRunner.Answer;
import dev.refit.updater.host.HostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RpmOstreeBackendTest {

  static final List<String> STATUS = List.of("rpm-ostree", "status", "--json");
  static final String IMAGE_STAGED = "rpm-ostree-status-refit-image-staged-locked-2025.12.json";
  static final String LAYERED_STAGED = "rpm-ostree-status-refit-layered-staged-locked-2025.12.json";
  static final String BUSY = "rpm-ostree-status-refit-pending-booted-rollback-busy.json";
  static final String DIGEST = "sha256:" + "4".repeat(64);
  final ScriptedHost host = new ScriptedHost();
  final List<Duration> sleeps = new ArrayList<>();
  final RpmOstreeBackend backend =
      new RpmOstreeBackend(
          OSFamily.FedoraCoreOS, host.runner, host.boot, host.selinux, sleeps::add);

  RpmOstreeBackendTest status(String fixture) {
    host.runner.succeed(STATUS, Fixtures.read(fixture));
    host.runner.fail(RpmOstreeRefusals.MCD_DIRECTORY, 1, "");
    return this;
  }

  /** The commands that change the host (fact reads and refusal checks left out). */
  List<List<String>> actions() {
    return host.actions().stream()
        .filter(c -> !c.equals(RpmOstreeRefusals.MCD_DIRECTORY))
        .filter(c -> !(c.get(0).equals("systemctl") && c.get(1).startsWith("is-")))
        .toList();
  }

  @Test
  void factsShowTheBootedAndTheStagedDeploymentWithTheBootId() throws Exception {
    status("rpm-ostree-status-staged-fcos31.json");

    HostFacts facts = backend.facts();

    assertThat(facts.booted().getVersion()).isEqualTo("31.20200505.3.0");
    assertThat(facts.staged().orElseThrow().getVersion()).isEqualTo("31.20200517.3.0");
    assertThat(facts.bootId()).isEqualTo(ScriptedHost.BOOT_ID);
    assertThat(facts.selinux().configurable()).isTrue();
  }

  @Test
  void stagingAnImageRebasesWithLockedFinalizationKeepingTheRemoteThatVerifiedTheBootedImage()
      throws Exception {
    status("rpm-ostree-status-oci-remote-image-digest-custom-origin-fcos41.json");
    String target = "quay.io/fedora/fedora-coreos@sha256:" + "d".repeat(64);
    host.runner.succeed(
        List.of(
            "rpm-ostree",
            "rebase",
            "--lock-finalization",
            "ostree-remote-registry:fedora:" + target),
        "");

    StageProgress progress = backend.stage(OSTarget.image(target), null, backend.facts());

    assertThat(progress).isInstanceOf(StageProgress.Done.class);
    assertThat(actions())
        .containsExactly(
            List.of(
                "rpm-ostree",
                "rebase",
                "--lock-finalization",
                "ostree-remote-registry:fedora:" + target));
  }

  @Test
  void stagingAVersionOnAHostFollowingAnOstreeRefDeploysThatVersionWithoutReboot()
      throws Exception {
    status("rpm-ostree-status-booted-only-fcos30.json");
    List<String> deploy = List.of("rpm-ostree", "deploy", "--lock-finalization", "version=30.2");
    host.runner.succeed(deploy, "");

    backend.stage(OSTarget.version("30.2"), null, backend.facts());

    assertThat(actions()).containsExactly(deploy);
  }

  @Test
  void anAlreadyStagedTargetIsNotStagedAgain() throws Exception {
    status("rpm-ostree-status-staged-fcos31.json");

    backend.stage(OSTarget.version("31.20200517.3.0"), null, backend.facts());

    assertThat(actions()).isEmpty();
  }

  @Test
  void aRegisteredUpdateDriverMakesTheHostIneligibleNamingItsUnit() throws Exception {
    status("rpm-ostree-status-oci-image-signed-update-driver-fcos43.json");
    zincati("active", "enabled");

    assertThat(backend.facts().refusals())
        .singleElement()
        .satisfies(
            refusal -> {
              assertThat(refusal.reason()).isEqualTo("UpdateDriverConflict");
              assertThat(refusal.message())
                  .contains("Zincati (zincati.service)")
                  .contains("systemctl disable --now zincati.service");
            });
    assertThat(actions()).isEmpty();
  }

  @Test
  void aTransactionInProgressMeansLookAgainLater() throws Exception {
    status("rpm-ostree-status-refit-pending-booted-rollback-busy.json");
    unit("refit-node-updater.service", "inactive", "disabled");

    StageProgress progress =
        backend.stage(OSTarget.version("43.20250701.3.0"), null, backend.facts());

    assertThat(progress).isInstanceOf(StageProgress.InProgress.class);
    assertThat(((StageProgress.InProgress) progress).detail()).contains("Upgrade");
    assertThat(actions()).isEmpty();
  }

  @Test
  void finalizeUnlocksExactlyTheStagedChecksumAndLetsRpmOstreeReboot() throws Exception {
    status("rpm-ostree-status-staged-fcos31.json");
    List<String> finalize =
        List.of(
            "rpm-ostree",
            "finalize-deployment",
            "--allow-unlocked",
            "967b7b8d624e6d10ff51c2e81ef198fae966c567ac2e9b479771c693d0987949");
    host.runner.succeed(finalize, "");

    backend.finalizeAndReboot(backend.facts());

    assertThat(actions()).containsExactly(finalize);
  }

  @Test
  void aBootForSelinuxAloneRebootsIntoTheBootedOsWhenTheAgentSawNothingStaged() throws Exception {
    status("rpm-ostree-status-booted-only-fcos30.json");
    host.runner.succeed(CommandBackend.SYSTEMCTL_REBOOT, "");

    backend.finalizeAndReboot(backend.facts());

    assertThat(actions()).containsExactly(CommandBackend.SYSTEMCTL_REBOOT);
  }

  @Test
  void rollbackDropsAStagedDeploymentFirstBecauseRollbackRefusesOneThenRollsBackAndReboots()
      throws Exception {
    status("rpm-ostree-status-staged-fcos31.json");
    host.runner.succeed(RpmOstreeBackend.CLEANUP_PENDING, "");
    host.runner.succeed(RpmOstreeBackend.ROLLBACK, "");

    backend.rollbackAndReboot(backend.facts());

    assertThat(actions())
        .containsExactly(RpmOstreeBackend.CLEANUP_PENDING, RpmOstreeBackend.ROLLBACK);
  }

  @Test
  void theRollbackDeploymentIsReported() throws Exception {
    status("rpm-ostree-status-silverblue33-booted-rollback-layered.json");

    assertThat(backend.facts().rollback().orElseThrow().getVersion()).isEqualTo("33.17");
  }

  @Test
  void truncatedOutputIsAClearErrorQuotingTheCommand() {
    status("rpm-ostree-status-refit-truncated.json");

    assertThatThrownBy(backend::facts)
        .isInstanceOf(HostException.class)
        .hasMessageContaining("rpm-ostree status --json")
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo(HostException.UNPARSEABLE_OUTPUT);
  }

  @Test
  void emptyOutputIsAClearErrorToo() {
    status("rpm-ostree-status-refit-empty.txt");

    assertThatThrownBy(backend::facts).hasMessageContaining("(empty output)");
  }

  @Test
  void aFailingRebaseBecomesAnErrorWithTheCommandAndItsStderr() throws Exception {
    status("rpm-ostree-status-booted-only-fcos30.json");
    List<String> deploy = List.of("rpm-ostree", "deploy", "--lock-finalization", "version=31.1");
    host.runner.fail(deploy, 1, "error: No such version 31.1\n");

    assertThatThrownBy(() -> backend.stage(OSTarget.version("31.1"), null, backend.facts()))
        .isInstanceOf(HostException.class)
        .hasMessageContaining("rpm-ostree deploy --lock-finalization version=31.1")
        .hasMessageContaining("No such version 31.1");
  }

  /** What systemctl says of Zincati's unit: its is-active and is-enabled words (and exits). */
  void zincati(String active, String enabled) {
    unit("zincati.service", active, enabled);
  }

  void unit(String unit, String active, String enabled) {
    host.runner.answer(
        List.of("systemctl", "is-active", unit),
        new FakeCommandRunner.Answer.Output(active.equals("active") ? 0 : 3, active + "\n", ""));
    host.runner.answer(
        List.of("systemctl", "is-enabled", unit),
        new FakeCommandRunner.Answer.Output(enabled.equals("enabled") ? 0 : 1, enabled + "\n", ""));
  }

  static List<String> finalize(String expected) {
    return List.of("rpm-ostree", "finalize-deployment", "--allow-unlocked", expected);
  }

  @Test
  void aRegisteredDriverWhoseUnitIsStoppedAndDisabledIsNoConflictAsRpmOstreeItselfIgnoresIt()
      throws Exception {
    status("rpm-ostree-status-oci-image-signed-update-driver-fcos43.json");
    zincati("inactive", "disabled");

    assertThat(backend.facts().refusals()).isEmpty();
  }

  @Test
  void aRegisteredDriverThatIsStoppedButStillEnabledIsAConflictBecauseItStartsAtTheNextBoot()
      throws Exception {
    status("rpm-ostree-status-oci-image-signed-update-driver-fcos43.json");
    zincati("inactive", "enabled");

    assertThat(backend.facts().refusals())
        .singleElement()
        .satisfies(r -> assertThat(r.message()).contains("zincati.service is enabled"));
  }

  @Test
  void aMachineConfigDaemonMakesTheHostIneligibleSayingTheMachineConfigOperatorUpdatesIt()
      throws Exception {
    host.runner.succeed(STATUS, Fixtures.read(IMAGE_STAGED));
    host.runner.succeed(RpmOstreeRefusals.MCD_DIRECTORY, "");

    assertThat(backend.facts().refusals())
        .singleElement()
        .satisfies(
            refusal -> {
              assertThat(refusal.reason()).isEqualTo("ManagedByMachineConfigOperator");
              assertThat(refusal.message())
                  .contains("/etc/machine-config-daemon")
                  .contains("updated by the Machine Config Operator");
            });
  }

  @Test
  void anImageHostIsFinalizedByItsManifestDigestThoughStatusShowsNoFinalizationLock()
      throws Exception {
    status(IMAGE_STAGED);
    host.runner.succeed(finalize(DIGEST), "");

    backend.finalizeAndReboot(backend.facts());

    assertThat(actions()).containsExactly(finalize(DIGEST));
  }

  @Test
  void aLayeredHostIsFinalizedByItsBaseCommitNotTheLayeredOne() throws Exception {
    status(LAYERED_STAGED);
    host.runner.succeed(finalize("6".repeat(64)), "");

    backend.finalizeAndReboot(backend.facts());

    assertThat(actions()).containsExactly(finalize("6".repeat(64)));
  }

  @Test
  void anRpmOstreeBefore2025dot7ThatRefusesTheDigestIsFinalizedByTheBaseCommitItFound()
      throws Exception {
    status(IMAGE_STAGED);
    host.runner.fail(
        finalize(DIGEST),
        1,
        Fixtures.read("rpm-ostree-finalize-deployment-refit-digest-refused-before-2025.7.txt"));
    host.runner.succeed(finalize("3".repeat(64)), "");

    backend.finalizeAndReboot(backend.facts());

    assertThat(actions()).containsExactly(finalize(DIGEST), finalize("3".repeat(64)));
  }

  @Test
  void aFinalizeRefusedForAnotherReasonFailsWithRpmOstreesMessageAndIsNotRetried() {
    status(IMAGE_STAGED);
    host.runner.fail(
        finalize(DIGEST), 1, "error: Reboot initiated, cannot start new transaction\n");

    assertThatThrownBy(() -> backend.finalizeAndReboot(backend.facts()))
        .isInstanceOf(HostException.class)
        .hasMessageContaining("Reboot initiated");
    assertThat(actions()).containsExactly(finalize(DIGEST));
  }

  @Test
  void finalizeWaitsOutAnotherClientsTransactionThenFinalizes() throws Exception {
    host.runner.answer(
        STATUS,
        new Answer.Output(0, Fixtures.read(BUSY), ""),
        new Answer.Output(0, Fixtures.read(IMAGE_STAGED), ""));
    host.runner.fail(RpmOstreeRefusals.MCD_DIRECTORY, 1, "");
    host.runner.succeed(finalize(DIGEST), "");

    backend.finalizeAndReboot(null);

    assertThat(sleeps).containsExactly(Duration.ofSeconds(10));
    assertThat(actions()).containsExactly(finalize(DIGEST));
  }

  @Test
  void aStagedDeploymentThatVanishedIsAClearErrorAndNoReboot() throws Exception {
    status("rpm-ostree-status-staged-fcos31.json");
    host.runner.succeed(STATUS, Fixtures.read("rpm-ostree-status-booted-only-fcos30.json"));
    HostFacts sawStaged = backend.facts(); // the first answer; finalize reads the second
    assertThat(sawStaged.staged()).isPresent();

    assertThatThrownBy(() -> backend.finalizeAndReboot(sawStaged))
        .isInstanceOf(HostException.class)
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo(RpmOstreeBackend.NOTHING_TO_FINALIZE);
    assertThat(actions()).isEmpty();
  }

  @Test
  void rollbackWaitsWhileAnotherClientsTransactionRunsInsteadOfFailing() throws Exception {
    host.runner.answer(
        STATUS,
        new Answer.Output(0, Fixtures.read(BUSY), ""),
        new Answer.Output(
            0, Fixtures.read("rpm-ostree-status-silverblue33-booted-rollback-layered.json"), ""));
    String inProgress = Fixtures.read("rpm-ostree-refit-transaction-in-progress.txt");
    host.runner.answer(
        RpmOstreeBackend.ROLLBACK,
        new Answer.Output(1, "", inProgress),
        new Answer.Output(0, "", ""));

    backend.rollbackAndReboot(null);

    assertThat(sleeps).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10));
    assertThat(actions()).containsExactly(RpmOstreeBackend.ROLLBACK, RpmOstreeBackend.ROLLBACK);
  }

  @Test
  void rollbackGivesUpWithAClearErrorWhenTheTransactionOutlastsFiveMinutes() {
    host.runner.succeed(STATUS, Fixtures.read(BUSY));

    assertThatThrownBy(() -> backend.rollbackAndReboot(null))
        .isInstanceOf(HostException.class)
        .hasMessageContaining("still busy with Upgrade")
        .extracting(e -> ((HostException) e).reason())
        .isEqualTo(RpmOstreeBackend.BUSY_REASON);
    assertThat(sleeps).hasSize(30);
    assertThat(actions()).isEmpty();
  }

  @Test
  void stagingThatMeetsAnotherClientsTransactionLooksAgainLater() throws Exception {
    status("rpm-ostree-status-booted-only-fcos30.json");
    List<String> deploy = List.of("rpm-ostree", "deploy", "--lock-finalization", "version=30.2");
    host.runner.fail(deploy, 1, Fixtures.read("rpm-ostree-refit-transaction-in-progress.txt"));

    StageProgress progress = backend.stage(OSTarget.version("30.2"), null, backend.facts());

    assertThat(progress).isInstanceOf(StageProgress.InProgress.class);
  }
}
