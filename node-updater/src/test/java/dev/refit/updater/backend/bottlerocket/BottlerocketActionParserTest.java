package dev.refit.updater.backend.bottlerocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.updater.Fixtures;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.CommandFailed;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.LockHeld;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.NotAllowed;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.Rejected;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.Succeeded;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.Unconfirmed;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.HostOutputException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BottlerocketActionParserTest {

  /** apiclient logs and errors go to stderr; stdout stays empty for these commands. */
  private static BottlerocketActionOutcome parse(List<String> argv, int exit, String fixture)
      throws HostOutputException {
    String stderr = Fixtures.read(fixture);
    return BottlerocketActionParser.parse(
        new CommandResult(argv, exit, "", stderr, false, false, Duration.ofSeconds(1)));
  }

  @Test
  void aSuccessfulApplyKeepsItsLogLines() throws Exception {
    BottlerocketActionOutcome outcome =
        parse(BottlerocketActionParser.APPLY_COMMAND, 0, "bottlerocket-update-apply-success.txt");

    assertThat(outcome).isInstanceOf(Succeeded.class);
    assertThat(((Succeeded) outcome).log())
        .hasSize(4)
        .last()
        .isEqualTo("21:11:42 [INFO] Update has been applied and will take effect on next reboot.");
    assertThat(outcome.retryable()).isFalse();
  }

  @Test
  void applyWithoutAChosenUpdateIsNotAllowedAndNotWorthARetry() throws Exception {
    BottlerocketActionOutcome outcome =
        parse(
            BottlerocketActionParser.APPLY_COMMAND,
            1,
            "bottlerocket-update-apply-409-no-chosen-update.txt");

    assertThat(outcome)
        .isEqualTo(
            new NotAllowed(
                "POST",
                "/actions/prepare-update",
                "Update action not allowed according to update state"));
    assertThat(outcome.retryable()).isFalse();
  }

  @Test
  void aHeldUpdateLockIsADistinctRetryableOutcome() throws Exception {
    BottlerocketActionOutcome outcome =
        parse(
            BottlerocketActionParser.APPLY_COMMAND,
            1,
            "bottlerocket-update-apply-refit-423-update-lock-held.txt");

    assertThat(outcome)
        .isEqualTo(new LockHeld("POST", "/actions/prepare-update", "Update lock held"));
    assertThat(outcome.retryable()).isTrue();
  }

  @Test
  void aLockedStatusReadDuringCheckIsAlsoLockHeld() throws Exception {
    BottlerocketActionOutcome outcome =
        parse(
            BottlerocketStatusParser.CHECK_COMMAND,
            1,
            "bottlerocket-update-check-refit-423-shared-lock.txt");

    assertThat(outcome).isInstanceOf(LockHeld.class);
    LockHeld lock = (LockHeld) outcome;
    assertThat(lock.path()).isEqualTo("/updates/status");
    assertThat(lock.reason()).startsWith("Unable to obtain shared lock for reading update status");
  }

  @Test
  void theOlderApiclientWordingWithAUnixUriIsRecognisedToo() throws Exception {
    BottlerocketActionOutcome outcome =
        parse(
            BottlerocketStatusParser.STATUS_COMMAND,
            1,
            "bottlerocket-raw-updates-status-423-shared-lock-pr942.txt");

    assertThat(outcome).isInstanceOf(LockHeld.class);
    assertThat(((LockHeld) outcome).method()).isEqualTo("GET");
    assertThat(((LockHeld) outcome).path())
        .isEqualTo("unix://2f72756e2f6170692e736f636b:0/updates/status");
  }

  @Test
  void anUninitializedUpdateStatusIsA404ThatAsksForARefresh() throws Exception {
    BottlerocketActionOutcome outcome =
        parse(
            BottlerocketStatusParser.STATUS_COMMAND,
            1,
            "bottlerocket-raw-updates-status-404-uninitialized-pr942.txt");

    assertThat(outcome).isInstanceOf(Rejected.class);
    Rejected rejected = (Rejected) outcome;
    assertThat(rejected.httpStatus()).isEqualTo(404);
    assertThat(rejected.statusUninitialized()).isTrue();
    assertThat(rejected.retryable()).isFalse();
  }

  @Test
  void aFailedPrepareCommandIsReportedWithItsDetail() throws Exception {
    BottlerocketActionOutcome outcome =
        parse(
            BottlerocketActionParser.APPLY_COMMAND,
            1,
            "bottlerocket-update-apply-refit-prepare-failed.txt");

    assertThat(outcome).isInstanceOf(CommandFailed.class);
    assertThat(((CommandFailed) outcome).detail())
        .contains("prepare attempt failed with status 'Failed' (1): Failed to download update");
  }

  @Test
  void aWaitThatTimedOutIsUnconfirmedAndWorthARecheck() throws Exception {
    CommandResult result =
        new CommandResult(
            BottlerocketActionParser.APPLY_COMMAND,
            1,
            "",
            "Failed to apply update: Timed out after waiting 5s seconds after POST to"
                + " /actions/activate-update, unsure of result\n",
            false,
            false,
            Duration.ofSeconds(5));

    BottlerocketActionOutcome outcome = BottlerocketActionParser.parse(result);

    assertThat(outcome).isInstanceOf(Unconfirmed.class);
    assertThat(outcome.retryable()).isTrue();
  }

  @Test
  void anUnrecognisedFailureIsAnErrorQuotingTheOutput() {
    assertThatThrownBy(
            () ->
                parse(
                    BottlerocketActionParser.APPLY_COMMAND,
                    101,
                    "bottlerocket-update-apply-refit-unrecognised-failure.txt"))
        .isInstanceOf(HostOutputException.class)
        .hasMessageStartingWith("apiclient update apply: expected an apiclient error")
        .hasMessageContaining("exit status 101")
        .hasMessageContaining("panicked");
  }

  @Test
  void aFailureWithNoOutputIsAnError() {
    CommandResult silent =
        new CommandResult(
            BottlerocketActionParser.CANCEL_COMMAND, 1, "", "", false, false, Duration.ZERO);

    assertThatThrownBy(() -> BottlerocketActionParser.parse(silent))
        .isInstanceOf(HostOutputException.class)
        .hasMessageEndingWith("got (empty output)");
  }

  @Test
  void theCurrentRawWordingOfAStatusReadDuringACommandIsLockHeldOnThePlainPath() throws Exception {
    BottlerocketActionOutcome outcome =
        parse(
            BottlerocketStatusParser.STATUS_COMMAND,
            1,
            "bottlerocket-raw-updates-status-refit-423-while-a-command-runs.txt");

    assertThat(outcome)
        .isEqualTo(
            new LockHeld(
                "GET",
                "/updates/status",
                "Unable to obtain shared lock for reading update status: Resource temporarily"
                    + " unavailable (os error 11)"));
  }

  @Test
  void theCurrentRawWordingOfAStatusNotYetInitialisedInThisBootIsTheUninitialised404()
      throws Exception {
    BottlerocketActionOutcome outcome =
        parse(
            BottlerocketStatusParser.STATUS_COMMAND,
            1,
            "bottlerocket-raw-updates-status-refit-404-after-boot.txt");

    assertThat(((Rejected) outcome).statusUninitialized()).isTrue();
  }

  @Test
  void aRebootTheApiServerCouldNotStartIsRejectedWithSystemctlsWords() throws Exception {
    BottlerocketActionOutcome outcome =
        parse(
            List.of("apiclient", "raw", "-u", "/actions/reboot", "-m", "POST"),
            1,
            "bottlerocket-raw-reboot-refit-500-inhibited.txt");

    assertThat(outcome).isInstanceOf(Rejected.class);
    assertThat(((Rejected) outcome).httpStatus()).isEqualTo(500);
    assertThat(((Rejected) outcome).path()).isEqualTo("/actions/reboot");
    assertThat(((Rejected) outcome).reason())
        .startsWith("Failed to reboot, exit code: 1, stderr: Operation inhibited by");
  }
}
