package dev.refit.updater.selinux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.SELinuxMode;
import dev.refit.updater.Fixtures;
import dev.refit.updater.host.HostOutputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class GetenforceParserTest {

  @Test
  void eachOfTheThreeWordsIsItsMode() throws Exception {
    assertThat(GetenforceParser.parse(Fixtures.read("getenforce-enforcing.txt")))
        .isEqualTo(HostSelinuxMode.ENFORCING);
    assertThat(GetenforceParser.parse(Fixtures.read("getenforce-permissive.txt")))
        .isEqualTo(HostSelinuxMode.PERMISSIVE);
    assertThat(GetenforceParser.parse(Fixtures.read("getenforce-disabled.txt")))
        .isEqualTo(HostSelinuxMode.DISABLED);
  }

  @Test
  void disabledHasNoApiModeWhileTheOthersDo() {
    assertThat(HostSelinuxMode.ENFORCING.toApi()).contains(SELinuxMode.Enforcing);
    assertThat(HostSelinuxMode.PERMISSIVE.toApi()).contains(SELinuxMode.Permissive);
    assertThat(HostSelinuxMode.DISABLED.toApi()).isEmpty();
  }

  @Test
  void anythingElseIsAnError() {
    assertThatThrownBy(
            () -> GetenforceParser.parse(Fixtures.read("getenforce-refit-unexpected.txt")))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "getenforce: expected one of Enforcing, Permissive, Disabled,"
                + " got \"getenforce: command not found\"");
    assertThatThrownBy(() -> GetenforceParser.parse(""))
        .isInstanceOf(HostOutputException.class)
        .hasMessageEndingWith("got (empty output)");
  }

  @Test
  void onlyTheWordsGetenforcePrintsAreModes() {
    for (String other : List.of("enforcing\n", "ENFORCING\n", " Permissive\n", "Enforcing now\n")) {
      assertThatThrownBy(() -> GetenforceParser.parse(other))
          .as(other)
          .isInstanceOf(HostOutputException.class);
    }
  }
}
