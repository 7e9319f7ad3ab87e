package dev.refit.updater.backend.rpmostree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.updater.Fixtures;
import dev.refit.updater.backend.ImageTransport;
import dev.refit.updater.backend.rpmostree.OstreeImageReference.Verification;
import dev.refit.updater.host.HostOutputException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RpmOstreeStatusParserTest {

  private static RpmOstreeStatus parse(String fixture) throws HostOutputException {
    return RpmOstreeStatusParser.parse(Fixtures.read(fixture));
  }

  @Test
  void aCommitBasedFcos30HostHasOneBootedDeploymentAndNothingPending() throws Exception {
    RpmOstreeStatus status = parse("rpm-ostree-status-booted-only-fcos30.json");

    RpmOstreeDeployment booted = status.requireBooted();
    assertThat(booted.version()).contains("30.1");
    assertThat(booted.osname()).isEqualTo("fedora-coreos");
    assertThat(booted.checksum())
        .isEqualTo("ce718b90ce19c2cac07fa45efdce91aad208a508c98e9f7f572f5aaba76f569a");
    assertThat(booted.baseChecksum())
        .contains("41af286dc0b172ed2f1ca934fd2278de4a1192302ffa07087cea2682e7d372e3");
    assertThat(booted.origin()).contains("fedora/x86_64/coreos/testing-devel");
    assertThat(booted.image()).isEmpty();
    assertThat(booted.staged()).isFalse();
    assertThat(booted.timestamp()).contains(Instant.ofEpochSecond(1561753297));
    assertThat(status.deployments()).hasSize(1);
    assertThat(status.rebootPending()).isFalse();
    assertThat(status.transaction()).isEmpty();
    assertThat(status.updateDriver()).isEmpty();
  }

  @Test
  void aStagedFcos31UpdateSitsAboveTheBootedDeploymentAndAwaitsFinalization() throws Exception {
    RpmOstreeStatus status = parse("rpm-ostree-status-staged-fcos31.json");

    RpmOstreeDeployment staged = status.staged().orElseThrow();
    assertThat(staged.version()).contains("31.20200517.3.0");
    assertThat(staged.finalizationLocked()).isTrue();
    assertThat(staged.role()).isEqualTo(DeploymentRole.STAGED);
    assertThat(staged.checksum())
        .isEqualTo("967b7b8d624e6d10ff51c2e81ef198fae966c567ac2e9b479771c693d0987949");
    assertThat(status.requireBooted().version()).contains("31.20200505.3.0");
    assertThat(status.requireBooted().origin()).contains("fedora:fedora/x86_64/coreos/stable");
    assertThat(status.rollback()).isEmpty();
    assertThat(status.pending()).isEmpty();
    assertThat(status.rebootPending()).isTrue();
  }

  @Test
  void silverblue33HasALayeredBootedDeploymentAndARollbackAfterIt() throws Exception {
    RpmOstreeStatus status = parse("rpm-ostree-status-silverblue33-booted-rollback-layered.json");

    assertThat(status.requireBooted().version()).contains("33.21");
    assertThat(status.requireBooted().baseChecksum())
        .contains("229387d3c0bb8ad698228ca5702eca72aed8b298a7c800be1dc72bab160a9f7f");
    RpmOstreeDeployment rollback = status.rollback().orElseThrow();
    assertThat(rollback.version()).contains("33.17");
    assertThat(rollback.checksum())
        .isEqualTo("775d54e89bc74731ec27db04f12510c0269c8cbab3ad5e39e0a4d693231ef072");
    assertThat(rollback.osname()).isEqualTo("fedora-silverblue");
    assertThat(status.staged()).isEmpty();
    assertThat(status.rebootPending()).isFalse();
  }

  @Test
  void rhcos412ReportsAnUnverifiedRegistryImageWithoutAVersion() throws Exception {
    RpmOstreeStatus status =
        parse("rpm-ostree-status-rhcos412-unverified-registry-booted-only.json");

    RpmOstreeDeployment booted = status.requireBooted();
    assertThat(booted.version()).isEmpty();
    assertThat(booted.origin()).isEmpty();
    assertThat(booted.osname()).isEqualTo("rhcos");
    OstreeImageReference image = booted.image().orElseThrow();
    assertThat(image.verification()).isEqualTo(Verification.UNVERIFIED);
    assertThat(image.transport()).isEqualTo(ImageTransport.REGISTRY);
    assertThat(image.image())
        .isEqualTo(
            "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:"
                + "90780b08939d913d9cfc5565eecdd12055dd57301b2109985e149830a92ed6b1");
    assertThat(booted.imageDigest())
        .contains("sha256:90780b08939d913d9cfc5565eecdd12055dd57301b2109985e149830a92ed6b1");
    assertThat(status.updateDriver()).isEmpty();
  }

  @Test
  void fcos41FromAnOstreeRemoteVerifiedImageByDigestStripsRemoteAndTransport() throws Exception {
    RpmOstreeStatus status =
        parse("rpm-ostree-status-oci-remote-image-digest-custom-origin-fcos41.json");

    RpmOstreeDeployment booted = status.requireBooted();
    assertThat(booted.version()).contains("41.20250105.2.0");
    OstreeImageReference image = booted.image().orElseThrow();
    assertThat(image.verification()).isEqualTo(Verification.OSTREE_REMOTE);
    assertThat(image.remote()).contains("fedora");
    assertThat(image.transport()).isEqualTo(ImageTransport.REGISTRY);
    assertThat(image.image())
        .isEqualTo(
            "quay.io/fedora/fedora-coreos@sha256:"
                + "c4a15145a232d882ccf2ed32d22c06c01a7cf62317eb966a98340ae4bd56dfa6");
    assertThat(image.original()).startsWith("ostree-remote-image:fedora:registry:");
    assertThat(booted.imageDigest())
        .contains("sha256:c4a15145a232d882ccf2ed32d22c06c01a7cf62317eb966a98340ae4bd56dfa6");
  }

  @Test
  void fcos41RebasedToATagKeepsTheTagInThePlainReference() throws Exception {
    RpmOstreeStatus status = parse("rpm-ostree-status-oci-remote-image-tag-fcos41.json");

    RpmOstreeDeployment booted = status.requireBooted();
    assertThat(booted.image().orElseThrow().image())
        .isEqualTo("quay.io/fedora/fedora-coreos:testing");
    assertThat(booted.checksum())
        .isEqualTo("b3d02401dcbc98a252c40c8787f1e7cafca7b94ad49aeb3cec8ee50105ae1e87");
  }

  @Test
  void fcos43FromASignedImageNamesZincatiAsUpdateDriver() throws Exception {
    RpmOstreeStatus status = parse("rpm-ostree-status-oci-image-signed-update-driver-fcos43.json");

    OstreeImageReference image = status.requireBooted().image().orElseThrow();
    assertThat(image.verification()).isEqualTo(Verification.CONTAINER_POLICY);
    assertThat(image.transport()).isEqualTo(ImageTransport.REGISTRY);
    assertThat(image.image()).isEqualTo("quay.io/fedora/fedora-coreos:stable");
    assertThat(status.requireBooted().version()).contains("43.20251024.3.0");
    assertThat(status.updateDriver())
        .contains(new RpmOstreeStatus.UpdateDriver("Zincati", "zincati.service"));
  }

  @Test
  void aTrimmedStatusWithOnlyAStagedImageParsesButHasNoBootedDeployment() throws Exception {
    RpmOstreeStatus status = parse("rpm-ostree-status-rhel9-bootc-staged-only-partial.json");

    RpmOstreeDeployment staged = status.staged().orElseThrow();
    assertThat(staged.version()).contains("9.20240207.0");
    assertThat(staged.osname()).isEqualTo("default");
    assertThat(staged.image().orElseThrow().image())
        .isEqualTo("192.168.122.1:5000/bootc-insights:latest");
    assertThat(staged.imageDigest())
        .contains("sha256:758216cb799c79a25bdcb21046b3283dd267fe4f29392bd125a20981e092006b");
    assertThat(status.booted()).isEmpty();
    assertThatThrownBy(status::requireBooted)
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "rpm-ostree status --json: expected a deployment with \"booted\": true,"
                + " got \"1 deployments, none booted\"");
  }

  @Test
  void rolesFollowBootOrderAndExtraFieldsAreIgnored() throws Exception {
    RpmOstreeStatus status = parse("rpm-ostree-status-refit-pending-booted-rollback-busy.json");

    assertThat(status.deployments())
        .extracting(RpmOstreeDeployment::role)
        .containsExactly(
            DeploymentRole.PENDING,
            DeploymentRole.BOOTED,
            DeploymentRole.ROLLBACK,
            DeploymentRole.OTHER);
    RpmOstreeDeployment pending = status.pending().orElseThrow();
    assertThat(pending.version()).contains("42.20250615.3.0");
    assertThat(pending.image().orElseThrow().verification()).isEqualTo(Verification.UNVERIFIED);
    assertThat(pending.image().orElseThrow().image())
        .isEqualTo("quay.io/fedora/fedora-coreos@sha256:" + "1".repeat(64));
    RpmOstreeDeployment booted = status.requireBooted();
    assertThat(booted.pinned()).isTrue();
    assertThat(booted.image().orElseThrow().remote()).contains("fedora");
    assertThat(booted.image().orElseThrow().image())
        .isEqualTo("quay.io/fedora/fedora-coreos:stable");
    RpmOstreeDeployment rollback = status.rollback().orElseThrow();
    assertThat(rollback.version()).isEmpty();
    assertThat(rollback.timestamp()).isEmpty();
    assertThat(rollback.origin()).contains("fedora:fedora/x86_64/coreos/stable");
    assertThat(status.rebootPending()).isTrue();
    assertThat(status.transaction())
        .contains(
            new RpmOstreeStatus.Transaction(
                "Upgrade", ":1.234", "/org/projectatomic/rpmostree1/fedora_coreos"));
    assertThat(status.updateDriver())
        .contains(new RpmOstreeStatus.UpdateDriver("Refit", "refit-node-updater.service"));
  }

  @Test
  void truncatedJsonIsAClearError() {
    assertThatThrownBy(() -> parse("rpm-ostree-status-refit-truncated.json"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageStartingWith(
            "rpm-ostree status --json: expected a JSON object with a \"deployments\" array,"
                + " well-formed (line ")
        .hasMessageContaining("got \"{\\n  \"deployments\" : [");
  }

  @Test
  void emptyOutputIsAClearError() {
    assertThatThrownBy(() -> parse("rpm-ostree-status-refit-empty.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "rpm-ostree status --json: expected a JSON object with a \"deployments\" array,"
                + " got (empty output)");
  }

  @Test
  void theHumanReadableFormatIsRejectedAsNotJson() {
    assertThatThrownBy(() -> parse("rpm-ostree-status-refit-human-format.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("expected a JSON object")
        .hasMessageContaining("State: idle");
  }

  @Test
  void aBootedFlagThatIsNotABooleanIsAnErrorNamingThePath() {
    assertThatThrownBy(() -> parse("rpm-ostree-status-refit-booted-not-boolean.json"))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "rpm-ostree status --json: expected true or false at deployments[0].booted,"
                + " got \"\"yes\"\"");
  }

  @Test
  void aDeploymentWithoutChecksumIsAnError() {
    assertThatThrownBy(() -> parse("rpm-ostree-status-refit-missing-checksum.json"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("expected a non-empty string at deployments[0].checksum");
  }

  @Test
  void anUnknownImageTransportIsAnError() {
    assertThatThrownBy(() -> parse("rpm-ostree-status-refit-unknown-transport.json"))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "rpm-ostree status --json: expected a known image transport,"
                + " got \"ostree-unverified-image:ftp:example.com/os.tar\"");
  }

  @Test
  void aDocumentWithoutDeploymentsIsAnError() {
    assertThatThrownBy(() -> parse("rpm-ostree-status-refit-no-deployments.json"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("expected an array at deployments");
  }

  @Test
  void trailingGarbageAfterTheDocumentIsAnError() {
    String text = Fixtures.read("rpm-ostree-status-booted-only-fcos30.json") + "\n}";

    assertThatThrownBy(() -> RpmOstreeStatusParser.parse(text))
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("well-formed");
  }

  @Test
  void anImageDeploymentStagedLockedByRpmOstree2025ShowsNoFinalizationLockButItsDigest()
      throws Exception {
    RpmOstreeStatus status = parse("rpm-ostree-status-refit-image-staged-locked-2025.12.json");

    RpmOstreeDeployment staged = status.staged().orElseThrow();
    assertThat(staged.finalizationLocked()).isFalse();
    assertThat(staged.imageDigest()).contains("sha256:" + "4".repeat(64));
    assertThat(staged.baseChecksum()).isEmpty();
    assertThat(staged.version()).contains("43.20260105.3.0");
    assertThat(status.requireBooted().version()).contains("43.20251214.3.0");
    assertThat(status.updateDriver()).isEmpty();
  }

  @Test
  void aLayeredDeploymentStagedByRpmOstree2025CarriesItsBaseCommitBesideTheLayeredOne()
      throws Exception {
    RpmOstreeStatus status = parse("rpm-ostree-status-refit-layered-staged-locked-2025.12.json");

    RpmOstreeDeployment staged = status.staged().orElseThrow();
    assertThat(staged.checksum()).isEqualTo("5".repeat(64));
    assertThat(staged.baseChecksum()).contains("6".repeat(64));
    assertThat(staged.finalizationLocked()).isFalse();
    assertThat(staged.image()).isEmpty();
    assertThat(staged.origin()).contains("fedora:fedora/x86_64/coreos/stable");
  }

  @Test
  void aTimestampBeyondAnyDateIsAnErrorNamingTheField() {
    String output =
        Fixtures.read("rpm-ostree-status-booted-only-fcos30.json")
            .replace("1561753297", "9223372036854775807");

    assertThatThrownBy(() -> RpmOstreeStatusParser.parse(output))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "rpm-ostree status --json: expected seconds since 1970 that make a date at"
                + " deployments[0].timestamp, got \"9223372036854775807\"");
  }
}
