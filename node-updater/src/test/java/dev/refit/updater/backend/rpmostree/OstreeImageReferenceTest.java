package dev.refit.updater.backend.rpmostree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.updater.backend.ImageTransport;
import dev.refit.updater.backend.rpmostree.OstreeImageReference.Verification;
import dev.refit.updater.host.HostOutputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OstreeImageReferenceTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
    "ostree-unverified-registry:quay.io/a/b:1, UNVERIFIED, '', REGISTRY, quay.io/a/b:1",
    "ostree-unverified-image:registry:quay.io/a/b:1, UNVERIFIED, '', REGISTRY, quay.io/a/b:1",
    "ostree-unverified-image:docker://quay.io/a/b:1, UNVERIFIED, '', REGISTRY, quay.io/a/b:1",
    "ostree-image-signed:docker://quay.io/a/b@sha256:ab, CONTAINER_POLICY, '', REGISTRY,"
        + " quay.io/a/b@sha256:ab",
    "ostree-image-signed:registry:quay.io/a/b, CONTAINER_POLICY, '', REGISTRY, quay.io/a/b",
    "ostree-remote-image:fedora:registry:quay.io/a/b, OSTREE_REMOTE, fedora, REGISTRY,"
        + " quay.io/a/b",
    "ostree-remote-image:fedora:docker://quay.io/a/b, OSTREE_REMOTE, fedora, REGISTRY,"
        + " quay.io/a/b",
    "ostree-remote-registry:rhcos:quay.io/a/b, OSTREE_REMOTE, rhcos, REGISTRY, quay.io/a/b",
    "ostree-unverified-image:oci:/var/lib/os, UNVERIFIED, '', OCI, /var/lib/os",
    "ostree-unverified-image:oci-archive:/tmp/os.ociarchive, UNVERIFIED, '', OCI_ARCHIVE,"
        + " /tmp/os.ociarchive",
    "ostree-unverified-image:containers-storage:localhost/os, UNVERIFIED, '',"
        + " CONTAINERS_STORAGE, localhost/os",
    "ostree-unverified-image:dir:/srv/os, UNVERIFIED, '', DIR, /srv/os",
    "ostree-unverified-image:docker-archive:/srv/os.tar, UNVERIFIED, '', DOCKER_ARCHIVE,"
        + " /srv/os.tar",
  })
  void splitsVerificationTransportAndThePlainImage(
      String reference,
      Verification verification,
      String remote,
      ImageTransport transport,
      String image)
      throws Exception {
    OstreeImageReference parsed = OstreeImageReference.parse(reference, "test");

    assertThat(parsed.verification()).isEqualTo(verification);
    assertThat(parsed.remote().orElse("")).isEqualTo(remote);
    assertThat(parsed.transport()).isEqualTo(transport);
    assertThat(parsed.image()).isEqualTo(image);
    assertThat(parsed.original()).isEqualTo(reference);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "",
        "quay.io/a/b:1",
        "docker://quay.io/a/b",
        "ostree-unverified-image:quay.io/a/b",
        "ostree-unverified-image:docker:quay.io/a/b",
        "ostree-unverified-image:registry:",
        "ostree-remote-image:fedora",
        "ostree-frobnicated-image:registry:quay.io/a/b",
      })
  void rejectsWhatOstreeContainerWouldReject(String reference) {
    assertThatThrownBy(() -> OstreeImageReference.parse(reference, "rpm-ostree status --json"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageStartingWith("rpm-ostree status --json: expected ");
  }
}
