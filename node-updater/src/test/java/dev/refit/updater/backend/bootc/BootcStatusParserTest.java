package dev.refit.updater.backend.bootc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.updater.Fixtures;
import dev.refit.updater.backend.ImageTransport;
import dev.refit.updater.host.HostOutputException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BootcStatusParserTest {

  private static BootcStatus parse(String fixture) throws HostOutputException {
    return BootcStatusParser.parse(Fixtures.read(fixture));
  }

  @Test
  void anEarlyV1alpha1JsonStatusHasABootedAndARollbackImage() throws Exception {
    BootcStatus status = parse("bootc-status-v1alpha1-booted-rollback.json");

    assertThat(status.apiVersion()).isEqualTo("org.containers.bootc/v1alpha1");
    assertThat(status.isBootcHost()).isTrue();
    assertThat(status.staged()).isEmpty();
    BootcImage booted = status.requireBootedImage();
    assertThat(booted.reference().image()).isEqualTo("192.168.124.1:5000/bootc-insights:latest");
    assertThat(booted.reference().transport()).isEqualTo(ImageTransport.REGISTRY);
    assertThat(booted.version()).contains("stream9.20231213.0");
    assertThat(booted.digest())
        .isEqualTo("sha256:806d77394f96e47cf99b1233561ce970c94521244a2d8f2affa12c3261961223");
    assertThat(booted.timestamp()).isEmpty();
    assertThat(booted.architecture()).isEmpty();
    BootcImage rollback = status.rollback().flatMap(BootcEntry::image).orElseThrow();
    assertThat(rollback.reference().image()).isEqualTo("quay.io/centos-boot/fedora-boot-cloud:eln");
    assertThat(rollback.version()).contains("39.20231109.3");
    assertThat(rollback.digest())
        .isEqualTo("sha256:92e476435ced1c148350c660b09c744717defbd300a15d33deda5b50ad6b21a0");
    assertThat(status.rollbackQueued()).isFalse();
    assertThat(status.type()).contains("bootcHost");
    assertThat(status.booted().orElseThrow().ostreeChecksum())
        .contains("6aa32a312c832e32a2dbfe006f05e5972d9f2b86df54e747128c24e6c1fb129a");
  }

  @Test
  void aStagedUpdateMatchesTheDigestCachedOnTheBootedEntry() throws Exception {
    BootcStatus status = parse("bootc-status-v1alpha1-staged-booted-cachedupdate.json");

    String stagedDigest = status.stagedImage().orElseThrow().digest();
    assertThat(stagedDigest)
        .isEqualTo("sha256:654275229d342b2836dcb8e5b851bbb1461b664a9fb9b8c934011e1abf15d778");
    assertThat(status.requireBootedImage().digest())
        .isEqualTo("sha256:5398062d64b501e18b986b43a4f4108cb879fd29d436d793c0bf6947a83ed09e");
    assertThat(status.booted().orElseThrow().cachedUpdate().orElseThrow().digest())
        .isEqualTo(stagedDigest);
    assertThat(status.stagedImage().orElseThrow().version()).contains("9.20240325.0");
    assertThat(status.rollback()).isEmpty();
  }

  @Test
  void theYamlFormWithOnlyABootedImageCarriesArchitectureAndStateroot() throws Exception {
    BootcStatus status = parse("bootc-status-v1alpha1-only-booted-fixture.yaml");

    BootcImage booted = status.requireBootedImage();
    assertThat(booted.reference().image()).isEqualTo("quay.io/centos-bootc/centos-bootc:stream9");
    assertThat(booted.version()).contains("stream9.20240807.0");
    assertThat(booted.architecture()).contains("arm64");
    assertThat(booted.digest())
        .isEqualTo("sha256:47e5ed613a970b6574bfa954ab25bb6e85656552899aa518b5961d9645102b38");
    BootcEntry entry = status.booted().orElseThrow();
    assertThat(entry.stateroot()).contains("default");
    assertThat(entry.ostreeChecksum())
        .contains("439f6bd2e2361bee292c1f31840d798c5ac5ba76483b8021dc9f7b0164ac0f48");
    assertThat(entry.pinned()).isFalse();
    assertThat(entry.cachedUpdate()).isEmpty();
    assertThat(status.staged()).isEmpty();
    assertThat(status.rollback()).isEmpty();
    assertThat(status.rollbackQueued()).isFalse();
    assertThat(status.specImage().orElseThrow().image())
        .isEqualTo("quay.io/centos-bootc/centos-bootc:stream9");
  }

  @Test
  void theYamlFormReadsTimestampsSignaturesAndSkipsComments() throws Exception {
    BootcStatus status = parse("bootc-status-v1alpha1-staged-booted-fixture.yaml");

    BootcImage staged = status.stagedImage().orElseThrow();
    assertThat(staged.timestamp()).contains(Instant.parse("2023-10-14T19:22:15.420Z"));
    assertThat(staged.reference().signature()).contains("insecure");
    assertThat(staged.version()).contains("nightly");
    assertThat(staged.digest())
        .isEqualTo("sha256:16dc2b6256b4ff0d2ec18d2dbfb06d117904010c8cf9732cdb022818cf7a7566");
    BootcImage booted = status.requireBootedImage();
    assertThat(booted.timestamp()).contains(Instant.parse("2023-09-30T19:22:16Z"));
    assertThat(booted.digest())
        .isEqualTo("sha256:736b359467c9437c1ac915acaae952aad854e07eb4a16a94999a48af08c83c34");
    assertThat(status.type()).isEmpty();
  }

  @Test
  void aDownloadedButUnstagedUpdateShowsAsCachedUpdate() throws Exception {
    BootcStatus status = parse("bootc-status-v1alpha1-booted-cachedupdate-fixture.yaml");

    BootcImage cached = status.booted().orElseThrow().cachedUpdate().orElseThrow();
    assertThat(cached.version()).contains("stream9.20240901.0");
    assertThat(cached.digest()).isEqualTo("sha256:" + "a0".repeat(32));
    assertThat(cached.timestamp()).contains(Instant.parse("2024-09-01T12:00:00Z"));
    assertThat(status.requireBootedImage().timestamp())
        .contains(Instant.parse("2024-08-07T12:00:00Z"));
    assertThat(status.staged()).isEmpty();
  }

  @Test
  void aPinnedHostListsItsOtherDeployments() throws Exception {
    BootcStatus status = parse("bootc-status-v1alpha1-booted-pinned-otherdeployments-fixture.yaml");

    assertThat(status.booted().orElseThrow().pinned()).isTrue();
    assertThat(status.otherDeployments()).hasSize(1);
    BootcEntry other = status.otherDeployments().get(0);
    assertThat(other.pinned()).isTrue();
    assertThat(other.image().orElseThrow().digest())
        .isEqualTo("sha256:47e5ed613a970b6574bfa954ab25bb6e85656552899aa518b5961d9645102b37");
    assertThat(other.ostreeChecksum())
        .contains("99b2cc3b6edce9ebaef6a6076effa5ee3e1dcff3523016ffc94a1b27c6c67e12");
  }

  @Test
  void anImageStagedOverAPlainOstreeDeploymentHasNoBootedImage() throws Exception {
    BootcStatus status = parse("bootc-status-v1alpha1-staged-over-nonbootc-booted-fixture.yaml");

    assertThat(status.isBootcHost()).isTrue();
    assertThat(status.bootedImage()).isEmpty();
    assertThat(status.booted().orElseThrow().ostreeChecksum())
        .contains("f9fa3a553ceaaaf30cf85bfe7eed46a822f7b8fd7e14c1e3389cbc3f6d27f791");
    assertThat(status.booted().orElseThrow().store()).isEmpty();
    BootcImage staged = status.stagedImage().orElseThrow();
    assertThat(staged.architecture()).contains("s390x");
    assertThat(status.staged().orElseThrow().store()).contains("ostreeContainer");
    assertThat(status.type()).isEmpty();
    assertThatThrownBy(status::requireBootedImage)
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("booted from a plain ostree commit");
  }

  @Test
  void aLocalOciLayoutUsesTheOciTransport() throws Exception {
    BootcStatus status = parse("bootc-status-v1alpha1-local-oci-transport-fixture.yaml");

    BootcImageReference booted = status.requireBootedImage().reference();
    assertThat(booted.transport()).isEqualTo(ImageTransport.OCI);
    assertThat(booted.image()).isEqualTo("/var/mnt/osupdate");
    assertThat(status.specImage().orElseThrow().image()).isEqualTo("/var/mnt/osupdate:latest");
  }

  @Test
  void anAllNullV1StatusMeansTheHostIsNotManagedByBootc() throws Exception {
    BootcStatus status = parse("bootc-status-v1-all-null-fixture.json");

    assertThat(status.apiVersion()).isEqualTo("org.containers.bootc/v1");
    assertThat(status.isBootcHost()).isFalse();
    assertThat(status.specImage()).isEmpty();
    assertThat(status.type()).isEmpty();
    assertThatThrownBy(status::requireBootedImage)
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "bootc status: expected a booted deployment with an image (a host managed by bootc),"
                + " got \"status.booted: null (not a bootc host)\"");
  }

  @Test
  void aV1YamlWithAllThreeEntriesToleratesMissingAndExtraFields() throws Exception {
    BootcStatus status = parse("bootc-status-refit-v1-staged-booted-rollback-extra-fields.yaml");

    BootcImage staged = status.stagedImage().orElseThrow();
    assertThat(staged.reference().signature()).contains("ostreeRemote:example");
    assertThat(staged.version()).contains("2.0");
    assertThat(staged.architecture()).isEmpty();
    assertThat(staged.timestamp()).isEmpty();
    BootcImage booted = status.requireBootedImage();
    assertThat(booted.version()).isEmpty();
    assertThat(booted.timestamp()).contains(Instant.parse("2025-05-30T06:15:00Z"));
    assertThat(status.booted().orElseThrow().incompatible()).isTrue();
    BootcEntry rollback = status.rollback().orElseThrow();
    assertThat(rollback.image().orElseThrow().reference().transport())
        .isEqualTo(ImageTransport.CONTAINERS_STORAGE);
    assertThat(rollback.pinned()).isTrue();
    assertThat(status.rollbackQueued()).isTrue();
    assertThat(status.specImage().orElseThrow().signature()).contains("ostreeRemote:example");
  }

  @Test
  void aCurrentStatusCarriesADownloadOnlyStagedImageAndTheContainerPolicySignature()
      throws Exception {
    BootcStatus status = parse("bootc-status-v1-refit-staged-download-only.json");

    BootcEntry staged = status.staged().orElseThrow();
    assertThat(staged.downloadOnly()).isTrue();
    assertThat(staged.image().orElseThrow().digest()).isEqualTo("sha256:" + "7".repeat(64));
    assertThat(staged.store()).contains("ostreeContainer");
    assertThat(status.booted().orElseThrow().downloadOnly()).isFalse();
    assertThat(status.rollback().orElseThrow().downloadOnly()).isFalse();
    BootcImageReference booted = status.requireBootedImage().reference();
    assertThat(booted.signature()).contains("containerPolicy");
    assertThat(booted.enforcesContainerPolicy()).isTrue();
    assertThat(booted.ostreeRemote()).isEmpty();
    assertThat(status.requireBootedImage().timestamp())
        .contains(Instant.parse("2025-12-01T04:00:00Z"));
  }

  @Test
  void theFirstFormOfTheLockIsReadFromFinalizationLocked() throws Exception {
    BootcStatus status = parse("bootc-status-v1alpha1-staged-finalization-locked-fixture.yaml");

    assertThat(status.staged().orElseThrow().downloadOnly()).isTrue();
    assertThat(status.booted().orElseThrow().downloadOnly()).isFalse();
  }

  @Test
  void anImageFromTheDockerDaemonIsReadWithItsTransport() throws Exception {
    BootcStatus status = parse("bootc-status-v1-refit-docker-daemon-transport.json");

    BootcImageReference booted = status.requireBootedImage().reference();
    assertThat(booted.transport()).isEqualTo(ImageTransport.DOCKER_DAEMON);
    assertThat(booted.image()).isEqualTo("localhost/bootc:latest");
    assertThat(booted.signature()).isEmpty();
    assertThat(status.specImage().orElseThrow().transport())
        .isEqualTo(ImageTransport.DOCKER_DAEMON);
    assertThat(status.rollback().flatMap(BootcEntry::image).orElseThrow().reference().transport())
        .isEqualTo(ImageTransport.REGISTRY);
  }

  @Test
  void anOstreeRemoteSignatureNamesTheRemote() throws Exception {
    BootcStatus status = parse("bootc-status-v1-refit-booted-ostree-remote.json");

    BootcImageReference booted = status.requireBootedImage().reference();
    assertThat(booted.ostreeRemote()).contains("fedora");
    assertThat(booted.enforcesContainerPolicy()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bootc-status-humanreadable-fedora-bootc-41-booted-only.txt",
        "bootc-status-humanreadable-fcos-41-native-ostree.txt"
      })
  void theHumanReadableFormatIsRecognisedAndRejectedAsNotMachineReadable(String fixture) {
    assertThatThrownBy(() -> parse(fixture))
        .isInstanceOf(HostOutputException.class)
        .hasMessageStartingWith(
            "bootc status: expected machine-readable output; this is the human-readable format,"
                + " run bootc status --format=json, got \"No staged image present");
  }

  @Test
  void truncatedJsonIsAClearError() {
    assertThatThrownBy(() -> parse("bootc-status-refit-truncated.json"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageStartingWith("bootc status --format=json: expected a BootcHost document")
        .hasMessageContaining("well-formed");
  }

  @Test
  void emptyOutputIsAClearError() {
    assertThatThrownBy(() -> parse("bootc-status-refit-empty.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageEndingWith("got (empty output)");
  }

  @Test
  void anUnknownApiVersionIsRejectedRatherThanGuessed() {
    assertThatThrownBy(() -> parse("bootc-status-refit-unknown-api-version.json"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("expected apiVersion")
        .hasMessageEndingWith("got \"org.containers.bootc/v2\"");
  }

  @Test
  void anImageWithoutDigestIsAnErrorNamingThePath() {
    assertThatThrownBy(() -> parse("bootc-status-refit-missing-image-digest.yaml"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageStartingWith(
            "bootc status --format=yaml: expected a non-empty string at"
                + " status.booted.image.imageDigest");
  }

  @Test
  void anUnknownTransportIsAnError() {
    assertThatThrownBy(() -> parse("bootc-status-refit-unknown-transport.json"))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "bootc status --format=json: expected a known image transport at"
                + " status.booted.image.image, got \"carrier-pigeon\"");
  }

  @Test
  void malformedYamlIsAClearError() {
    assertThatThrownBy(() -> BootcStatusParser.parse("apiVersion: [unclosed\nkind: BootcHost\n"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageStartingWith("bootc status --format=yaml: expected a BootcHost document")
        .hasMessageContaining("well-formed");
  }
}
