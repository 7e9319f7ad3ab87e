package dev.refit.updater.selinux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.updater.Fixtures;
import dev.refit.updater.host.HostOutputException;
import org.junit.jupiter.api.Test;

class GetseboolParserTest {

  @Test
  void readsEveryBooleanInOrderWithItsValue() throws Exception {
    SelinuxBooleans booleans =
        GetseboolParser.parse(Fixtures.read("getsebool-a-excerpt-virt-rhel.txt"));

    assertThat(booleans.selinuxEnabled()).isTrue();
    assertThat(booleans.values()).hasSize(20);
    assertThat(booleans.values().keySet()).first().isEqualTo("varnishd_connect_any");
    assertThat(booleans.current("virt_use_nfs")).contains(true);
    assertThat(booleans.current("virt_use_samba")).contains(false);
    assertThat(booleans.current("virt_sandbox_use_all_caps")).contains(true);
    assertThat(booleans.current("container_manage_cgroup")).isEmpty();
    assertThat(booleans.values().get("virt_use_usb"))
        .isEqualTo(new SelinuxBooleans.Value(true, true));
  }

  @Test
  void aDisabledHostIsAFactNotAnError() throws Exception {
    SelinuxBooleans booleans =
        GetseboolParser.parse(Fixtures.read("getsebool-a-selinux-disabled-rhel.txt"));

    assertThat(booleans.selinuxEnabled()).isFalse();
    assertThat(booleans.values()).isEmpty();
  }

  @Test
  void pendingValuesAreKeptApartFromCurrentOnes() throws Exception {
    SelinuxBooleans booleans =
        GetseboolParser.parse(Fixtures.read("getsebool-a-refit-pending-values.txt"));

    assertThat(booleans.values().get("container_manage_cgroup"))
        .isEqualTo(new SelinuxBooleans.Value(false, true));
    assertThat(booleans.values().get("container_use_devices"))
        .isEqualTo(new SelinuxBooleans.Value(true, true));
    assertThat(booleans.values().get("virt_use_nfs"))
        .isEqualTo(new SelinuxBooleans.Value(true, false));
  }

  @Test
  void aPolicyWithoutBooleansSaysSo() throws Exception {
    SelinuxBooleans booleans = GetseboolParser.parse("No booleans\n");

    assertThat(booleans.selinuxEnabled()).isTrue();
    assertThat(booleans.values()).isEmpty();
  }

  @Test
  void aMalformedLineIsAnErrorQuotingIt() {
    assertThatThrownBy(
            () -> GetseboolParser.parse(Fixtures.read("getsebool-a-refit-malformed.txt")))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "getsebool -a: expected lines of \"name --> on|off\", got \"container_use_devices = on\"");
  }

  @Test
  void emptyOutputIsAnError() {
    assertThatThrownBy(() -> GetseboolParser.parse(""))
        .isInstanceOf(HostOutputException.class)
        .hasMessageEndingWith("got (empty output)");
  }
}
