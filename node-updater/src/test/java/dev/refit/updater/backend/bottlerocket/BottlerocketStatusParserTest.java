package dev.refit.updater.backend.bottlerocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.updater.Fixtures;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.CommandStatus;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.CommandType;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.Image;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.State;
import dev.refit.updater.host.HostOutputException;
import java.time.Instant;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class BottlerocketStatusParserTest {

  private static BottlerocketUpdateStatus parse(String fixture) throws HostOutputException {
    return BottlerocketStatusParser.parse(Fixtures.read(fixture));
  }

  @Test
  void anIdleHostHasNoChosenUpdateAndBootsItsActivePartition() throws Exception {
    BottlerocketUpdateStatus status = parse("bottlerocket-updates-status-idle-v0.4.json");

    assertThat(status.state()).isEqualTo(State.Idle);
    assertThat(status.chosenUpdate()).isEmpty();
    assertThat(status.runningVersion()).contains("0.4.0");
    assertThat(status.activePartition().orElseThrow().image())
        .isEqualTo(new Image("x86_64", "0.4.0", "aws-k8s-1.15"));
    assertThat(status.activePartition().orElseThrow().nextToBoot()).isTrue();
    assertThat(status.stagingPartition()).isEmpty();
    assertThat(status.availableUpdates())
        .containsExactly("0.4.0", "0.3.4", "0.3.3", "0.3.2", "0.3.1", "0.3.0");
    assertThat(status.mostRecentCommand().orElseThrow().type()).isEqualTo(CommandType.Refresh);
    assertThat(status.rebootPending()).isFalse();
  }

  @Test
  void anAvailableUpdateIsChosenButNothingIsStaged() throws Exception {
    BottlerocketUpdateStatus status = parse("bottlerocket-updates-status-available-v0.4.json");

    assertThat(status.state()).isEqualTo(State.Available);
    assertThat(status.chosenUpdate()).contains(new Image("x86_64", "0.4.0", "aws-k8s-1.15"));
    assertThat(status.runningVersion()).contains("0.3.2");
    assertThat(status.stagingPartition()).isEmpty();
    assertThat(status.nextBootVersion()).contains("0.3.2");
  }

  @Test
  void aStagedUpdateIsWrittenButNotNextToBoot() throws Exception {
    BottlerocketUpdateStatus status = parse("bottlerocket-updates-status-staged-v0.4.json");

    assertThat(status.state()).isEqualTo(State.Staged);
    assertThat(status.stagingPartition().orElseThrow().image().version()).isEqualTo("0.4.0");
    assertThat(status.stagingPartition().orElseThrow().nextToBoot()).isFalse();
    assertThat(status.nextBootVersion()).contains("0.3.4");
    assertThat(status.rebootPending()).isFalse();
    BottlerocketUpdateStatus.RecentCommand command = status.mostRecentCommand().orElseThrow();
    assertThat(command.type()).isEqualTo(CommandType.Prepare);
    assertThat(command.status()).isEqualTo(CommandStatus.Success);
    assertThat(command.stderr()).isEqualTo("Starting update to 0.4.0\n");
    assertThat(command.exitStatus()).isEqualTo(OptionalInt.of(0));
  }

  @Test
  void aReadyUpdateBootsNextAndNeedsOnlyAReboot() throws Exception {
    BottlerocketUpdateStatus status = parse("bottlerocket-updates-status-ready-v0.4.json");

    assertThat(status.state()).isEqualTo(State.Ready);
    assertThat(status.activePartition().orElseThrow().nextToBoot()).isFalse();
    assertThat(status.stagingPartition().orElseThrow().nextToBoot()).isTrue();
    assertThat(status.nextBootVersion()).contains("0.4.0");
    assertThat(status.runningVersion()).contains("0.3.4");
    assertThat(status.rebootPending()).isTrue();
    assertThat(status.mostRecentCommand().orElseThrow().type()).isEqualTo(CommandType.Activate);
  }

  @Test
  void apiclientUpdateCheckPrintsSortedKeysAndTheOrderDoesNotMatter() throws Exception {
    BottlerocketUpdateStatus status =
        parse("bottlerocket-update-check-available-aws-k8s-1.27-v1.14.json");

    assertThat(status.state()).isEqualTo(State.Available);
    assertThat(status.runningVersion()).contains("1.14.0");
    assertThat(status.chosenUpdate()).contains(new Image("x86_64", "1.15.0", "aws-k8s-1.27"));
    assertThat(status.availableUpdates()).first().isEqualTo("1.15.0");
    assertThat(status.mostRecentCommand().orElseThrow().timestamp())
        .isEqualTo(Instant.parse("2023-10-13T21:10:58.126609177Z"));
  }

  @Test
  void apiclientUpdateCheckAfterApplyIsReadyForVersion115() throws Exception {
    BottlerocketUpdateStatus status =
        parse("bottlerocket-update-check-ready-aws-k8s-1.27-v1.14.json");

    assertThat(status.state()).isEqualTo(State.Ready);
    assertThat(status.nextBootVersion()).contains("1.15.0");
    assertThat(status.rebootPending()).isTrue();
  }

  @Test
  void anIdleAwsK8s128HostIsUpToDate() throws Exception {
    BottlerocketUpdateStatus status =
        parse("bottlerocket-update-check-idle-aws-k8s-1.28-v1.19.json");

    assertThat(status.state()).isEqualTo(State.Idle);
    assertThat(status.runningVersion()).contains("1.19.0");
    assertThat(status.activePartition().orElseThrow().image().variant()).isEqualTo("aws-k8s-1.28");
    assertThat(status.availableUpdates()).hasSize(7);
    assertThat(status.chosenUpdate()).isEmpty();
  }

  @Test
  void theApiclientLogLineBeforeTheJsonIsSkipped() throws Exception {
    BottlerocketUpdateStatus withLog =
        parse("bottlerocket-update-check-idle-aws-k8s-1.28-v1.19.transcript.txt");

    assertThat(withLog).isEqualTo(parse("bottlerocket-update-check-idle-aws-k8s-1.28-v1.19.json"));
  }

  @Test
  void absentOptionalFieldsAndExtraFieldsAreTolerated() throws Exception {
    BottlerocketUpdateStatus status =
        parse("bottlerocket-update-check-refit-staged-extra-fields.json");

    assertThat(status.state()).isEqualTo(State.Staged);
    assertThat(status.stagingPartition().orElseThrow().image())
        .isEqualTo(new Image("aarch64", "1.21.0", "aws-k8s-1.30"));
    BottlerocketUpdateStatus.RecentCommand command = status.mostRecentCommand().orElseThrow();
    assertThat(command.exitStatus()).isEmpty();
    assertThat(command.stderr()).isEmpty();
    assertThat(command.timestamp()).isEqualTo(Instant.parse("2024-07-01T10:00:00.500Z"));
  }

  @Test
  void aFreshStatusBeforeTheFirstRefreshHasNoPartitionsOrCommand() throws Exception {
    BottlerocketUpdateStatus status =
        parse("bottlerocket-update-check-refit-fresh-no-partitions.json");

    assertThat(status.state()).isEqualTo(State.Idle);
    assertThat(status.activePartition()).isEmpty();
    assertThat(status.runningVersion()).isEmpty();
    assertThat(status.mostRecentCommand()).isEmpty();
    assertThat(status.availableUpdates()).isEmpty();
  }

  @Test
  void anUnknownUpdateStateIsRejectedRatherThanGuessed() {
    assertThatThrownBy(() -> parse("bottlerocket-update-check-refit-unknown-state.json"))
        .isInstanceOf(HostOutputException.class)
        .hasMessage(
            "apiclient update check: expected update_state one of"
                + " Idle|Available|Staged|Ready, got \"Rebooting\"");
  }

  @Test
  void truncatedJsonIsAClearError() {
    assertThatThrownBy(() -> parse("bottlerocket-update-check-refit-truncated.json"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageStartingWith(
            "apiclient update check: expected the update status JSON object with an"
                + " update_state, well-formed");
  }

  @Test
  void onlyALogLineAndNoJsonIsAClearError() {
    assertThatThrownBy(() -> parse("bottlerocket-update-check-refit-log-only.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageContaining("Refreshing updates...");
  }

  @Test
  void aFailedActivationLeavesTheStateStagedWithUpdogsErrorInTheCommand() throws Exception {
    BottlerocketUpdateStatus status =
        parse("bottlerocket-raw-updates-status-refit-activate-failed.json");

    assertThat(status.state()).isEqualTo(State.Staged);
    assertThat(status.rebootPending()).isFalse();
    assertThat(status.mostRecentCommand().orElseThrow().type()).isEqualTo(CommandType.Activate);
    assertThat(status.mostRecentCommand().orElseThrow().status()).isEqualTo(CommandStatus.Failed);
    assertThat(status.mostRecentCommand().orElseThrow().stderr())
        .contains("has not been marked valid for upgrade");
  }

  @Test
  void afterABootTheStatusKnowsOnlyTheActivePartition() throws Exception {
    BottlerocketUpdateStatus status =
        parse("bottlerocket-raw-updates-status-refit-after-reboot-1.20.json");

    assertThat(status.runningVersion()).contains("1.20.0");
    assertThat(status.stagingPartition()).isEmpty();
    assertThat(status.stagedVersion()).isEmpty();
  }

  @Test
  void aDeactivatedUpdateIsStagedAgainAndNoLongerBootsNext() throws Exception {
    BottlerocketUpdateStatus status =
        parse("bottlerocket-raw-updates-status-refit-deactivated-1.20.json");

    assertThat(status.state()).isEqualTo(State.Staged);
    assertThat(status.stagedVersion()).contains("1.20.0");
    assertThat(status.rebootPending()).isFalse();
    assertThat(status.mostRecentCommand().orElseThrow().type()).isEqualTo(CommandType.Deactivate);
  }

  @Test
  void anExitStatusBeyondAnIntIsAnErrorRatherThanTruncated() {
    String output =
        Fixtures.read("bottlerocket-raw-updates-status-refit-prepare-failed.json")
            .replace("\"exit_status\":1", "\"exit_status\":4294967297");

    assertThatThrownBy(() -> BottlerocketStatusParser.parse(output))
        .isInstanceOf(HostOutputException.class)
        .hasMessageStartingWith(
            "apiclient update check: expected a whole number from -2147483648 to 2147483647 at"
                + " most_recent_command.exit_status, got \"4294967297\"");
  }
}
