package dev.refit.updater.selinux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.updater.Fixtures;
import dev.refit.updater.host.HostOutputException;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SestatusParserTest {

  private static SestatusReport parse(String fixture) throws HostOutputException {
    return SestatusParser.parse(Fixtures.read(fixture));
  }

  @Test
  void fedoraEnforcingReportsTargetedPolicyAndVersion31() throws Exception {
    SestatusReport report = parse("sestatus-fedora-enforcing-docs.txt");

    assertThat(report.enabled()).isTrue();
    assertThat(report.currentMode()).isEqualTo(HostSelinuxMode.ENFORCING);
    assertThat(report.configMode()).contains(HostSelinuxMode.ENFORCING);
    assertThat(report.loadedPolicy()).contains("targeted");
    assertThat(report.mlsEnabled()).contains(true);
    assertThat(report.denyUnknown()).contains("allowed");
    assertThat(report.maxKernelPolicyVersion()).isEqualTo(OptionalInt.of(31));
    assertThat(report.fields()).containsEntry("Memory protection checking", "actual (secure)");
    assertThat(report.booleans()).isEmpty();
    assertThat(report.modeChangesAtBoot()).isFalse();
  }

  @Test
  void bottlerocketRunsItsFortifiedPolicyEnforcingAndDeniesUnknown() throws Exception {
    SestatusReport report = parse("sestatus-bottlerocket-fortified.txt");

    assertThat(report.loadedPolicy()).contains("fortified");
    assertThat(report.currentMode()).isEqualTo(HostSelinuxMode.ENFORCING);
    assertThat(report.denyUnknown()).contains("denied");
    assertThat(report.maxKernelPolicyVersion()).isEqualTo(OptionalInt.of(33));
  }

  @Test
  void dashBAddsThePolicyBooleansSection() throws Exception {
    SestatusReport report = parse("sestatus-b-permissive-with-booleans-rhel.txt");

    assertThat(report.currentMode()).isEqualTo(HostSelinuxMode.PERMISSIVE);
    assertThat(report.configMode()).contains(HostSelinuxMode.PERMISSIVE);
    assertThat(report.maxKernelPolicyVersion()).isEqualTo(OptionalInt.of(28));
    assertThat(report.fields()).doesNotContainKey("Memory protection checking");
    assertThat(report.booleans()).hasSize(10);
    assertThat(report.booleans()).containsEntry("abrt_upload_watch_anon_write", true);
    assertThat(report.booleans()).containsEntry("abrt_anon_write", false);
    assertThat(report.booleans().keySet()).last().isEqualTo("awstats_purge_apache_log_files");
  }

  @Test
  void aDisabledHostPrintsOnlyItsStatus() throws Exception {
    SestatusReport report = parse("sestatus-disabled-rhel.txt");

    assertThat(report.enabled()).isFalse();
    assertThat(report.currentMode()).isEqualTo(HostSelinuxMode.DISABLED);
    assertThat(report.loadedPolicy()).isEmpty();
    assertThat(report.configMode()).isEmpty();
  }

  @Test
  void dashVContextSectionsAreSkippedAndAPendingModeChangeIsSeen() throws Exception {
    SestatusReport report = parse("sestatus-v-refit-with-context-sections.txt");

    assertThat(report.currentMode()).isEqualTo(HostSelinuxMode.PERMISSIVE);
    assertThat(report.configMode()).contains(HostSelinuxMode.ENFORCING);
    assertThat(report.modeChangesAtBoot()).isTrue();
    assertThat(report.fields()).doesNotContainKey("Current context");
    assertThat(report.booleans()).isEmpty();
  }

  @Test
  void aTruncatedHeaderIsAnErrorQuotingTheCutLine() {
    assertThatThrownBy(() -> parse("sestatus-refit-truncated.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "sestatus: expected \"SELinux status:\" followed by Key: value lines,"
                + " got \"SELinux root dir\"");
  }

  @Test
  void anEnabledHostWithoutCurrentModeIsAnError() {
    assertThatThrownBy(() -> parse("sestatus-refit-enabled-without-mode.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("expected \"Current mode:\" on an enabled host");
  }

  @Test
  void emptyOutputIsAnError() {
    assertThatThrownBy(() -> SestatusParser.parse(""))
        .isInstanceOf(HostOutputException.class)
        .hasMessageEndingWith("got (empty output)");
  }
}
