package dev.refit.updater.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Runs real processes through {@code /bin/sh -c}, without any host prefix. */
class HostCommandRunnerTest {

  private static final Duration GENEROUS = Duration.ofSeconds(30);

  private final HostCommandRunner runner = new HostCommandRunner(HostExecution.direct());

  private static List<String> sh(String script) {
    return List.of("/bin/sh", "-c", script);
  }

  @Test
  void capturesStdoutAndStderrSeparatelyWithTheExitCode() throws Exception {
    CommandResult result = runner.execute(sh("echo out; echo err >&2"), GENEROUS);

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo("out\n");
    assertThat(result.stderr()).isEqualTo("err\n");
    assertThat(result.stdoutTruncated()).isFalse();
    assertThat(result.stderrTruncated()).isFalse();
    assertThat(result.duration()).isPositive();
    assertThat(result.argv()).isEqualTo(sh("echo out; echo err >&2"));
  }

  @Test
  void executeReturnsANonZeroExitAsAResult() throws Exception {
    CommandResult result = runner.execute(sh("echo nope >&2; exit 3"), GENEROUS);

    assertThat(result.succeeded()).isFalse();
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stderr()).isEqualTo("nope\n");
  }

  @Test
  void runTurnsANonZeroExitIntoACommandFailedExceptionThatQuotesStderr() {
    assertThatThrownBy(() -> runner.run(sh("echo 'no such deployment' >&2; exit 4"), GENEROUS))
        .isInstanceOfSatisfying(
            CommandFailedException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(4);
              assertThat(e.result().stderr()).isEqualTo("no such deployment\n");
              assertThat(e.argv()).isEqualTo(sh("echo 'no such deployment' >&2; exit 4"));
            })
        .hasMessageContaining("exited with status 4")
        .hasMessageContaining("no such deployment");
  }

  @Test
  void aTimeoutKillsTheCommandAndKeepsWhatItPrintedSoFar() {
    long start = System.nanoTime();

    assertThatThrownBy(() -> runner.execute(sh("echo started; sleep 60"), Duration.ofMillis(300)))
        .isInstanceOfSatisfying(
            CommandTimeoutException.class,
            e -> {
              assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
              assertThat(e.partialStdout()).isEqualTo("started\n");
            })
        .hasMessageContaining("timed out after 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aTimeoutKillsGrandchildrenToo() throws Exception {
    CommandTimeoutException timeout = null;
    try {
      runner.execute(sh("sleep 60 & echo $!; wait"), Duration.ofMillis(500));
    } catch (CommandTimeoutException e) {
      timeout = e;
    }
    assertThat(timeout).isNotNull();
    long grandchild = Long.parseLong(timeout.partialStdout().strip());

    Optional<ProcessHandle> handle = ProcessHandle.of(grandchild);
    for (int i = 0; i < 50 && handle.map(ProcessHandle::isAlive).orElse(false); i++) {
      Thread.sleep(100);
      handle = ProcessHandle.of(grandchild);
    }
    assertThat(handle.map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void outputBeyondTheCapIsDroppedAndMarkedTruncated() throws Exception {
    HostCommandRunner small = new HostCommandRunner(HostExecution.direct(), 1000, 100);

    CommandResult result =
        small.execute(
            sh("head -c 50000 /dev/zero | tr '\\0' a; head -c 5000 /dev/zero >&2"), GENEROUS);

    assertThat(result.stdout()).hasSize(1000).matches("a+");
    assertThat(result.stdoutTruncated()).isTrue();
    assertThat(result.stderr()).hasSize(100);
    assertThat(result.stderrTruncated()).isTrue();
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void aChattyCommandNeverBlocksOnAFullPipe() throws Exception {
    // 2 MiB on stderr first, then 10 MiB on stdout: far beyond any pipe buffer, in both streams.
    String script =
        "head -c 2097152 /dev/zero | tr '\\0' b >&2; head -c 10485760 /dev/zero | tr '\\0' a";

    CommandResult result = runner.execute(sh(script), GENEROUS);

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).hasSize(HostCommandRunner.DEFAULT_STDOUT_LIMIT);
    assertThat(result.stdoutTruncated()).isTrue();
    assertThat(result.stderr()).hasSize(HostCommandRunner.DEFAULT_STDERR_LIMIT);
    assertThat(result.stderrTruncated()).isTrue();
  }

  @Test
  void aMissingExecutableIsACommandStartException() {
    assertThatThrownBy(() -> runner.execute(List.of("/nonexistent/refit-tool", "-x"), GENEROUS))
        .isInstanceOf(CommandStartException.class)
        .hasMessageStartingWith("/nonexistent/refit-tool -x: could not start:");
  }

  @Test
  void stdinIsClosedSoACommandThatReadsItGetsEndOfFile() throws Exception {
    CommandResult result = runner.execute(List.of("cat"), Duration.ofSeconds(10));

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void commandsRunInTheCLocaleSoMessagesAreEnglish() throws Exception {
    CommandResult result = runner.execute(sh("echo \"$LC_ALL\""), GENEROUS);

    assertThat(result.stdout()).isEqualTo("C\n");
  }

  @Test
  void commandsGetAnEnvironmentOfTheirOwnNotTheAgentsContainerEnvironment() throws Exception {
    // The build runs these tests with container=oci, as an agent in a UBI-based image has it.
    assertThat(System.getenv("container")).as("the agent's own environment").isEqualTo("oci");

    CommandResult result = runner.execute(List.of("env"), GENEROUS);

    assertThat(result.stdout().lines().map(line -> line.substring(0, line.indexOf('='))))
        .containsExactlyInAnyOrderElementsOf(HostCommandRunner.ENVIRONMENT.keySet());
    assertThat(result.stdout()).doesNotContain("container=");
  }

  @Test
  void theHostPrefixGoesInFrontOfEveryCommand() throws Exception {
    HostCommandRunner prefixed =
        new HostCommandRunner(HostExecution.custom(List.of("/usr/bin/env", "REFIT_MARK=host")));

    CommandResult result = prefixed.execute(sh("echo \"$REFIT_MARK\""), GENEROUS);

    assertThat(result.stdout()).isEqualTo("host\n");
    assertThat(result.argv()).isEqualTo(sh("echo \"$REFIT_MARK\""));
  }

  @Test
  void aBackgroundGrandchildHoldingThePipeDoesNotHangTheRunner() throws Exception {
    long start = System.nanoTime();

    CommandResult result = runner.execute(sh("(sleep 5 &); echo done"), GENEROUS);

    assertThat(result.stdout()).isEqualTo("done\n");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void invalidArgumentsAreRejectedBeforeAnythingRuns() {
    assertThatThrownBy(() -> runner.execute(List.of(), GENEROUS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> runner.execute(List.of("true"), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
