package dev.refit.updater.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostExecutionTest {

  @Test
  void nsenterJoinsEveryNamespaceOfPidOneBeforeTheCommand() {
    assertThat(HostExecution.nsenter().wrap(List.of("rpm-ostree", "status", "--json")))
        .containsExactly(
            "nsenter",
            "--target",
            "1",
            "--mount",
            "--uts",
            "--ipc",
            "--net",
            "--pid",
            "--",
            "rpm-ostree",
            "status",
            "--json");
  }

  @Test
  void chrootRunsTheCommandUnderTheMountedHostRoot() {
    assertThat(HostExecution.chroot(Path.of("/host")).wrap(List.of("getenforce")))
        .containsExactly("chroot", "/host", "getenforce");
  }

  @Test
  void directAddsNothing() {
    assertThat(HostExecution.direct().wrap(List.of("getenforce"))).containsExactly("getenforce");
  }

  @Test
  void aCustomPrefixIsUsedAsGiven() {
    HostExecution custom = HostExecution.custom(List.of("nsenter", "-t", "42", "-m", "--"));

    assertThat(custom.wrap(List.of("cat", "/etc/os-release")))
        .containsExactly("nsenter", "-t", "42", "-m", "--", "cat", "/etc/os-release");
    assertThat(custom.name()).isEqualTo("custom");
  }
}
