package dev.refit.updater.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.updater.Fixtures;
import dev.refit.updater.agent.HostFacts;
import java.util.List;
import org.junit.jupiter.api.Test;

class RpmOstreeBackendTest {

  static final List<String> STATUS = List.of("rpm-ostree", "status", "--json");
  final ScriptedHost host = new ScriptedHost();
  final RpmOstreeBackend backend =
      new RpmOstreeBackend(OSFamily.FedoraCoreOS, host.runner, host.boot, host.selinux);

  RpmOstreeBackendTest status(String fixture) {
    host.runner.succeed(STATUS, Fixtures.read(fixture));
    return this;
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
    assertThat(host.actions())
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

    assertThat(host.actions()).containsExactly(deploy);
  }

  @Test
  void anAlreadyStagedTargetIsNotStagedAgain() throws Exception {
    status("rpm-ostree-status-staged-fcos31.json");

    backend.stage(OSTarget.version("31.20200517.3.0"), null, backend.facts());

    assertThat(host.actions()).isEmpty();
  }

  @Test
  void aRegisteredUpdateDriverMakesTheHostIneligibleNamingItsUnit() throws Exception {
    status("rpm-ostree-status-oci-image-signed-update-driver-fcos43.json");

    assertThat(backend.facts().refusals())
        .singleElement()
        .satisfies(
            refusal -> {
              assertThat(refusal.reason()).isEqualTo("UpdateDriverConflict");
              assertThat(refusal.message())
                  .contains("Zincati (zincati.service)")
                  .contains("systemctl disable --now zincati.service");
            });
    assertThat(host.actions()).isEmpty();
  }

  @Test
  void aTransactionInProgressMeansLookAgainLater() throws Exception {
    status("rpm-ostree-status-refit-pending-booted-rollback-busy.json");

    StageProgress progress =
        backend.stage(OSTarget.version("43.20250701.3.0"), null, backend.facts());

    assertThat(progress).isInstanceOf(StageProgress.InProgress.class);
    assertThat(((StageProgress.InProgress) progress).detail()).contains("Upgrade");
    assertThat(host.actions()).isEmpty();
  }

  @Test
  void finalizeUnlocksExactlyTheStagedChecksumAndLetsRpmOstreeReboot() throws Exception {
    status("rpm-ostree-status-staged-fcos31.json");
    List<String> finalize =
        List.of(
            "rpm-ostree",
            "finalize-deployment",
            "967b7b8d624e6d10ff51c2e81ef198fae966c567ac2e9b479771c693d0987949");
    host.runner.succeed(finalize, "");

    backend.finalizeAndReboot(backend.facts());

    assertThat(host.actions()).containsExactly(finalize);
  }

  @Test
  void rollbackDropsAStagedDeploymentFirstThenRollsBackAndReboots() throws Exception {
    status("rpm-ostree-status-staged-fcos31.json");
    host.runner.succeed(RpmOstreeBackend.CLEANUP_PENDING, "");
    host.runner.succeed(RpmOstreeBackend.ROLLBACK, "");

    backend.rollbackAndReboot(backend.facts());

    assertThat(host.actions())
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
}
