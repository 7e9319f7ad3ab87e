package dev.refit.updater.backend.flatcar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.updater.Fixtures;
import dev.refit.updater.backend.flatcar.UpdateEngineStatus.Operation;
import dev.refit.updater.host.HostOutputException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UpdateEngineStatusParserTest {

  private static UpdateEngineStatus parse(String fixture) throws HostOutputException {
    return UpdateEngineStatusParser.parse(Fixtures.read(fixture));
  }

  @Test
  void anIdleFlatcarAfterResetHasNeverCheckedAndHasNoNewVersion() throws Exception {
    UpdateEngineStatus status = parse("update-engine-client-status-idle-flatcar-3139.txt");

    assertThat(status.operation()).isEqualTo(Operation.UPDATE_STATUS_IDLE);
    assertThat(status.needsReboot()).isFalse();
    assertThat(status.inProgress()).isFalse();
    assertThat(status.lastChecked()).isEmpty();
    assertThat(status.newVersion()).isEmpty();
    assertThat(status.newSize()).isZero();
    assertThat(status.progress()).isZero();
  }

  @Test
  void needRebootIsExplicitEvenWhenTheOldReleaseReportsVersionZero() throws Exception {
    UpdateEngineStatus status = parse("update-engine-client-status-need-reboot-coreos-cl-2016.txt");

    assertThat(status.needsReboot()).isTrue();
    assertThat(status.operation()).isEqualTo(Operation.UPDATE_STATUS_UPDATED_NEED_REBOOT);
    assertThat(status.newVersion()).isEmpty();
    assertThat(status.newSize()).isEqualTo(193158430L);
    assertThat(status.lastChecked()).contains(Instant.ofEpochSecond(1457200669L));
  }

  @Test
  void anUpdateRunSkipsGlogLinesBeforeAndAfterTheBlock() throws Exception {
    UpdateEngineStatus status =
        parse("update-engine-client-update-need-reboot-flatcar-2079.3.2.txt");

    assertThat(status.needsReboot()).isTrue();
    assertThat(status.newVersion()).contains("2079.3.2");
    assertThat(status.newSize()).isEqualTo(399568805L);
  }

  @Test
  void aStreamOfBlocksYieldsTheLastOne() throws Exception {
    UpdateEngineStatus status =
        parse("update-engine-client-update-downloading-flatcar-3815.2.1-partial.txt");

    assertThat(status.operation()).isEqualTo(Operation.UPDATE_STATUS_DOWNLOADING);
    assertThat(status.inProgress()).isTrue();
    assertThat(status.progress()).isEqualTo(0.710837);
    assertThat(status.newVersion()).contains("3815.2.1");
    assertThat(status.needsReboot()).isFalse();
  }

  @Test
  void aDbusRefusalIsAnErrorQuotingTheDbusMessageNotAState() {
    assertThatThrownBy(() -> parse("update-engine-client-status-dbus-error-null-flatcar-4426.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageStartingWith(
            "update_engine_client -status: expected a status from update_engine (it did not"
                + " answer over D-Bus")
        .hasMessageContaining("Error getting status: GError(9): Rejected send message");
  }

  @Test
  void unknownExtraKeysAreIgnored() throws Exception {
    UpdateEngineStatus status = parse("update-engine-client-status-refit-verifying-extra-key.txt");

    assertThat(status.operation()).isEqualTo(Operation.UPDATE_STATUS_VERIFYING);
    assertThat(status.progress()).isEqualTo(1.0);
    assertThat(status.newVersion()).contains("3975.2.0");
  }

  @Test
  void aTruncatedBlockIsAnError() {
    assertThatThrownBy(() -> parse("update-engine-client-status-refit-truncated.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("expected a complete status block (the output looks truncated)");
  }

  @Test
  void anUnknownOperationIsRejectedRatherThanGuessed() {
    assertThatThrownBy(() -> parse("update-engine-client-status-refit-unknown-op.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "update_engine_client -status: expected CURRENT_OP one of UPDATE_STATUS_*,"
                + " got \"UPDATE_STATUS_ATTEMPTING_ROLLBACK\"");
  }

  @Test
  void aNonNumericTimeIsAnErrorNotANumberFormatException() {
    assertThatThrownBy(() -> parse("update-engine-client-status-refit-bad-number.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "update_engine_client -status: expected LAST_CHECKED_TIME as a whole number,"
                + " got \"LAST_CHECKED_TIME=yesterday\"");
  }

  @Test
  void aLineThatIsNeitherKeyValueNorGlogIsAnError() {
    assertThatThrownBy(() -> parse("update-engine-client-status-refit-unexpected-line.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("Failed to connect to bus");
  }

  @Test
  void emptyOutputIsAnError() {
    assertThatThrownBy(() -> parse("update-engine-client-status-refit-empty.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageEndingWith("got (empty output)");
  }

  @Test
  void afterARestartAnInstalledUpdateNeedsARebootButHasNoVersion() throws Exception {
    UpdateEngineStatus status =
        parse("update-engine-client-status-refit-need-reboot-after-restart.txt");

    assertThat(status.needsReboot()).isTrue();
    assertThat(status.newVersion()).isEmpty();
    assertThat(status.lastChecked()).isEmpty();
    assertThat(status.newSize()).isZero();
  }

  @Test
  void aCurrentReleaseNeedingARebootReportsItsVersion() throws Exception {
    UpdateEngineStatus status =
        parse("update-engine-client-status-refit-need-reboot-flatcar-4459.1.0.txt");

    assertThat(status.needsReboot()).isTrue();
    assertThat(status.newVersion()).contains("4459.1.0");
    assertThat(status.lastChecked()).contains(Instant.ofEpochSecond(1762074855L));
  }

  @Test
  void aCheckIsInProgressWithoutAVersionYet() throws Exception {
    UpdateEngineStatus status = parse("update-engine-client-status-refit-checking-flatcar.txt");

    assertThat(status.operation()).isEqualTo(Operation.UPDATE_STATUS_CHECKING_FOR_UPDATE);
    assertThat(status.inProgress()).isTrue();
    assertThat(status.newVersion()).isEmpty();
  }

  @Test
  void anIdleEngineThatCheckedKeepsTheTimeOfTheAnswer() throws Exception {
    UpdateEngineStatus status =
        parse("update-engine-client-status-refit-idle-after-check-flatcar.txt");

    assertThat(status.operation()).isEqualTo(Operation.UPDATE_STATUS_IDLE);
    assertThat(status.lastChecked()).contains(Instant.ofEpochSecond(1762074855L));
  }

  @Test
  void reportingAnErrorIsNeitherInProgressNorInstalled() throws Exception {
    UpdateEngineStatus status =
        parse("update-engine-client-status-refit-reporting-error-flatcar.txt");

    assertThat(status.operation()).isEqualTo(Operation.UPDATE_STATUS_REPORTING_ERROR_EVENT);
    assertThat(status.inProgress()).isFalse();
    assertThat(status.needsReboot()).isFalse();
  }

  @Test
  void aDownloadSinceVersionsWereReportedShowsTheVersion() throws Exception {
    UpdateEngineStatus status =
        parse("update-engine-client-status-downloading-coreos-cl-1284-pr137.txt");

    assertThat(status.operation()).isEqualTo(Operation.UPDATE_STATUS_DOWNLOADING);
    assertThat(status.progress()).isEqualTo(0.080264);
    assertThat(status.newVersion()).contains("1284.0.0");
    assertThat(status.newSize()).isEqualTo(267797159L);
  }

  @Test
  void aLastCheckedTimeBeyondAnyDateIsAnErrorNotADateTimeException() {
    String output =
        Fixtures.read("update-engine-client-status-idle-flatcar-3139.txt")
            .replace("LAST_CHECKED_TIME=0", "LAST_CHECKED_TIME=9223372036854775807");

    assertThatThrownBy(() -> UpdateEngineStatusParser.parse(output))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "update_engine_client -status: expected LAST_CHECKED_TIME as seconds since 1970 that"
                + " make a date, got \"LAST_CHECKED_TIME=9223372036854775807\"");
  }
}
