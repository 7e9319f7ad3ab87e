package dev.refit.updater.selinux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.updater.Fixtures;
import dev.refit.updater.host.HostOutputException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SemoduleParserTest {

  @Test
  void theFullListingOfRhel9GivesPriorityLanguageAndTheDisabledMarker() throws Exception {
    List<SelinuxModule> modules =
        SemoduleParser.parseFull(
            Fixtures.read("semodule-list-modules-full-rhel9-excerpt-with-disabled.txt"));

    assertThat(modules)
        .containsExactly(
            full(400, "permissive_rhcd_t", "cil", true),
            full(400, "sweeppol", "pp", true),
            full(200, "container", "pp", true),
            full(100, "abrt", "pp", true),
            full(100, "zosremote", "pp", false));
  }

  @Test
  void theNarrowerRhel7ColumnsParseTheSame() throws Exception {
    List<SelinuxModule> modules =
        SemoduleParser.parseFull(
            Fixtures.read("semodule-list-modules-full-rhel7-excerpt-with-disabled.txt"));

    assertThat(modules)
        .containsExactly(
            full(400, "sweeppol", "pp", true),
            full(100, "abrt", "pp", true),
            full(100, "zosremote", "pp", false));
  }

  @Test
  void legacyListingGivesVersions() throws Exception {
    List<SelinuxModule> modules =
        SemoduleParser.parseList(Fixtures.read("semodule-l-rhel7-legacy-versions-excerpt.txt"));

    assertThat(modules)
        .containsExactly(legacy("abrt", "1.4.1", true), legacy("sweeppol", "1.0", true));
  }

  @Test
  void legacyListingMarksDisabledModules() throws Exception {
    List<SelinuxModule> modules =
        SemoduleParser.parseList(Fixtures.read("semodule-l-legacy-disabled-excerpt.txt"));

    assertThat(modules).containsExactly(legacy("zosremote", "1.2.0", false));
  }

  @Test
  void modernListingIsJustEnabledNames() throws Exception {
    List<SelinuxModule> modules =
        SemoduleParser.parseList(Fixtures.read("semodule-l-refit-modern-names.txt"));

    assertThat(modules)
        .extracting(SelinuxModule::name)
        .containsExactly("abrt", "accountsd", "container", "permissive_rhcd_t", "sweeppol");
    assertThat(modules).allSatisfy(m -> assertThat(m.enabled()).isTrue());
    assertThat(modules).allSatisfy(m -> assertThat(m.version()).isEmpty());
  }

  @Test
  void aFullListingLineWithoutPriorityIsAnError() {
    assertThatThrownBy(
            () ->
                SemoduleParser.parseFull(
                    Fixtures.read("semodule-list-modules-full-refit-malformed.txt")))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "semodule --list-modules=full: expected lines of \"priority name language"
                + " [disabled]\", got \"abrt              pp\"");
  }

  @Test
  void aLegacyLineWithAnUnknownMarkerIsAnError() {
    assertThatThrownBy(
            () -> SemoduleParser.parseList(Fixtures.read("semodule-l-refit-malformed.txt")))
        .isInstanceOf(HostOutputException.class)
        .hasMessageStartingWith("semodule -l: expected module names");
  }

  @Test
  void anEmptyListingIsAnError() {
    assertThatThrownBy(() -> SemoduleParser.parseList("\n"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageEndingWith("got (empty output)");
    assertThatThrownBy(() -> SemoduleParser.parseFull("")).isInstanceOf(HostOutputException.class);
  }

  private static SelinuxModule full(int priority, String name, String language, boolean enabled) {
    return new SelinuxModule(
        name, OptionalInt.of(priority), Optional.of(language), Optional.empty(), enabled);
  }

  private static SelinuxModule legacy(String name, String version, boolean enabled) {
    return new SelinuxModule(
        name, OptionalInt.empty(), Optional.empty(), Optional.of(version), enabled);
  }
}
