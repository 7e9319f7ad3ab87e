package dev.refit.updater.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.updater.Fixtures;
import org.junit.jupiter.api.Test;

class OsReleaseParserTest {

  private static OsRelease parse(String fixture) throws HostOutputException {
    return OsReleaseParser.parse(Fixtures.read(fixture));
  }

  @Test
  void fedoraCoreOsUnquotesDoubleAndSingleQuotedValues() throws Exception {
    OsRelease os = parse("os-release-fedora-coreos-37.txt");

    assertThat(os.id()).contains("fedora");
    assertThat(os.variantId()).contains("coreos");
    assertThat(os.versionId()).contains("37");
    assertThat(os.version()).contains("37.20230126.20.0 (CoreOS)");
    assertThat(os.ostreeVersion()).contains("37.20230126.20.0");
    assertThat(os.get("VERSION_CODENAME")).contains("");
    assertThat(os.prettyName()).contains("Fedora CoreOS 37.20230126.20.0");
  }

  @Test
  void rhcos412QuotesItsIdAndHasNoVariant() throws Exception {
    OsRelease os = parse("os-release-rhcos-4.12-el8.6.txt");

    assertThat(os.id()).contains("rhcos");
    assertThat(os.idLike()).containsExactly("rhel", "fedora");
    assertThat(os.variantId()).isEmpty();
    assertThat(os.get("OPENSHIFT_VERSION")).contains("4.12");
    assertThat(os.ostreeVersion()).contains("412.86.202301311551-0");
  }

  @Test
  void bottlerocketOldFormatHasNoVersionButAVariant() throws Exception {
    OsRelease os = parse("os-release-bottlerocket-1.2.0-aws-ecs-1-old-format.txt");

    assertThat(os.id()).contains("bottlerocket");
    assertThat(os.version()).isEmpty();
    assertThat(os.versionId()).contains("1.2.0");
    assertThat(os.variantId()).contains("aws-ecs-1");
    assertThat(os.get("BUILD_ID")).contains("ccf1b754");
  }

  @Test
  void bottlerocketNewFormatAddsTheVariantToVersionAndUrls() throws Exception {
    OsRelease os = parse("os-release-bottlerocket-1.2.0-aws-ecs-1-new-format.txt");

    assertThat(os.version()).contains("1.2.0 (aws-ecs-1)");
    assertThat(os.prettyName()).contains("Bottlerocket OS 1.2.0 (aws-ecs-1)");
    assertThat(os.get("HOME_URL")).contains("https://github.com/bottlerocket-os/bottlerocket");
  }

  @Test
  void flatcarLtsKeepsItsCpeNameWithColonsAndStars() throws Exception {
    OsRelease os = parse("os-release-flatcar-3510.3.5-lts.txt");

    assertThat(os.id()).contains("flatcar");
    assertThat(os.idLike()).containsExactly("coreos");
    assertThat(os.versionId()).contains("3510.3.5");
    assertThat(os.get("CPE_NAME"))
        .contains("cpe:2.3:o:flatcar-linux:flatcar_linux:3510.3.5:*:*:*:*:*:*:*");
  }

  @Test
  void theQuotingRulesOfOsReleaseAreApplied() throws Exception {
    OsRelease os = parse("os-release-refit-quoting-rules.txt");

    assertThat(os.prettyName()).contains("Fedora \"CoreOS\" $weird `tick` back\\slash");
    assertThat(os.get("SINGLE")).contains("it has \"double\" quotes and a \\ backslash");
    assertThat(os.variantId()).contains("coreos");
    assertThat(os.get("EMPTY")).contains("");
    assertThat(os.get("EMPTY_QUOTED")).contains("");
    assertThat(os.versionId()).contains("42");
    assertThat(os.fields()).doesNotContainKey("#");
  }

  @Test
  void anUnterminatedQuoteIsAnErrorQuotingTheLine() {
    assertThatThrownBy(() -> parse("os-release-refit-unterminated-quote.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "/etc/os-release: expected a closing double quote, got \"NAME=\"Fedora Linux\"");
  }

  @Test
  void anUnquotedValueWithASpaceIsAnError() {
    assertThatThrownBy(() -> parse("os-release-refit-unquoted-space.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("a value in quotes when it contains spaces")
        .hasMessageContaining("NAME=Fedora Linux");
  }

  @Test
  void concatenatedQuotedPartsAreAnError() {
    assertThatThrownBy(() -> parse("os-release-refit-concatenated-quotes.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("concatenation is not supported");
  }

  @Test
  void anEmptyFileIsAnError() {
    assertThatThrownBy(() -> parse("os-release-refit-empty.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "/etc/os-release: expected KEY=value lines such as ID=fedora, got (empty output)");
  }

  @Test
  void aLineWithoutAnAssignmentIsAnError() {
    assertThatThrownBy(() -> OsReleaseParser.parse("ID=fedora\nthis is prose\n"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("expected a KEY=value assignment, got \"this is prose\"");
  }
}
