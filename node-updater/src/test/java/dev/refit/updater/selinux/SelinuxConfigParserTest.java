package dev.refit.updater.selinux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.updater.Fixtures;
import dev.refit.updater.host.HostOutputException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SelinuxConfigParserTest {

  @Test
  void theFedoraDefaultFileIsEnforcingTargetedDespiteModesNamedInComments() throws Exception {
    SelinuxConfig config =
        SelinuxConfigParser.parse(Fixtures.read("selinux-config-fedora-enforcing.txt"));

    assertThat(config)
        .isEqualTo(new SelinuxConfig(HostSelinuxMode.ENFORCING, Optional.of("targeted")));
  }

  @Test
  void trailingSpacesAndCommentedOutLinesAreIgnored() throws Exception {
    SelinuxConfig config =
        SelinuxConfigParser.parse(
            Fixtures.read("selinux-config-refit-permissive-trailing-space.txt"));

    assertThat(config.mode()).isEqualTo(HostSelinuxMode.PERMISSIVE);
    assertThat(config.policyType()).contains("mls");
  }

  @Test
  void aFileWithoutSelinuxLineIsAnError() {
    assertThatThrownBy(
            () ->
                SelinuxConfigParser.parse(
                    Fixtures.read("selinux-config-refit-no-selinux-line.txt")))
        .isInstanceOf(HostOutputException.class)
        .hasMessageStartingWith("/etc/selinux/config: expected a SELINUX= line");
  }

  @Test
  void aQuotedModeIsUnknownToLibselinuxAndSoAnError() {
    assertThatThrownBy(
            () -> SelinuxConfigParser.parse(Fixtures.read("selinux-config-refit-bad-mode.txt")))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "/etc/selinux/config: expected SELINUX=enforcing, permissive or disabled,"
                + " got \"SELINUX=\"enforcing\"\"");
  }

  @Test
  void anEmptyFileIsAnError() {
    assertThatThrownBy(() -> SelinuxConfigParser.parse(""))
        .isInstanceOf(HostOutputException.class)
        .hasMessageEndingWith("got (empty output)");
  }
}
