package dev.refit.updater.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostStateTest {

  @TempDir Path dir;

  @Test
  void aFileInASubdirectoryIsWrittenReadAndDeleted() {
    Path state = dir.resolve("state");
    HostState host = HostState.directory(state, "/var/lib/refit");

    host.write("selinux/nginx-custom.cil", "(allow a b (file (read)))");

    assertThat(host.read("selinux/nginx-custom.cil")).contains("(allow a b (file (read)))");
    assertThat(host.hostPath("selinux/nginx-custom.cil"))
        .isEqualTo("/var/lib/refit/selinux/nginx-custom.cil");
    host.delete("selinux/nginx-custom.cil");
    assertThat(host.read("selinux/nginx-custom.cil")).isEmpty();
  }

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(strings = {"../outside.cil", "selinux/../../outside.cil", "/tmp/outside.cil", "."})
  void aNameThatLeavesTheDirectoryIsRefusedAndNothingIsWrittenOutside(String name) {
    HostState host = HostState.directory(dir.resolve("state"), "/var/lib/refit");

    assertThatThrownBy(() -> host.write(name, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> host.read(name)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> host.delete(name)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Files.exists(dir.resolve("outside.cil"))).isFalse();
  }
}
