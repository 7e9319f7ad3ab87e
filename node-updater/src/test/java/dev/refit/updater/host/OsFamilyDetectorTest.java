package dev.refit.updater.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.OSFamily;
import dev.refit.updater.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OsFamilyDetectorTest {

  private static OSFamily detect(String fixture) throws HostOutputException {
    return OsFamilyDetector.detect(OsReleaseParser.parse(Fixtures.read(fixture)));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "os-release-fedora-coreos-37.txt, FedoraCoreOS",
    "os-release-fedora-coreos-41.txt, FedoraCoreOS",
    "os-release-rhcos-4.12-el8.6.txt, RHCOS",
    "os-release-rhcos-4.13-el9.0.txt, RHCOS",
    "os-release-rhcos-10.1-ocp4.20.txt, RHCOS",
    "os-release-scos-4.12.txt, CentOSStreamCoreOS",
    "os-release-scos-10.txt, CentOSStreamCoreOS",
    "os-release-fedora-bootc-41.txt, Bootc",
    "os-release-refit-derived-bootc-image.txt, Bootc",
    "os-release-bottlerocket-1.2.0-aws-ecs-1-old-format.txt, Bottlerocket",
    "os-release-bottlerocket-1.2.0-aws-ecs-1-new-format.txt, Bottlerocket",
    "os-release-flatcar-3033.2.0-stable.txt, Flatcar",
    "os-release-flatcar-3510.3.5-lts.txt, Flatcar",
    "os-release-refit-quoting-rules.txt, FedoraCoreOS",
  })
  void eachSupportedOsReleaseMapsToItsFamily(String fixture, OSFamily expected) throws Exception {
    assertThat(detect(fixture)).isEqualTo(expected);
  }

  @Test
  void fedoraServerIsAnUnsupportedHostWithItsIdentityInTheMessage() {
    assertThatThrownBy(() -> detect("os-release-fedora-37-server.txt"))
        .isInstanceOf(UnsupportedHostException.class)
        .hasMessageContaining("expected a container OS Refit can update")
        .hasMessageContaining("ID=fedora")
        .hasMessageContaining("VARIANT_ID=server")
        .hasMessageContaining("Fedora Linux 37 (Server Edition)");
  }

  @Test
  void anOsReleaseWithoutIdIsAnError() {
    assertThatThrownBy(() -> detect("os-release-refit-no-id.txt"))
        .isInstanceOf(HostOutputException.class)
        .isNotInstanceOf(UnsupportedHostException.class)
        .hasMessageContaining("expected an ID= line")
        .hasMessageContaining("Some Linux");
  }

  @Test
  void aPackageModeRhelWithoutOstreeVersionIsUnsupported() throws Exception {
    OsRelease rhel = OsReleaseParser.parse("ID=\"rhel\"\nVERSION_ID=\"9.4\"\n");

    assertThatThrownBy(() -> OsFamilyDetector.detect(rhel))
        .isInstanceOf(UnsupportedHostException.class)
        .hasMessageContaining("ID=rhel");
  }
}
