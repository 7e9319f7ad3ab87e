package dev.refit.updater.host;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one host command did: its exit code, what it printed (capped), and how long it took.
 *
 * @param argv the command as asked for, without the nsenter/chroot prefix
 * @param exitCode the process exit code; 0 means success for every tool Refit runs
 * @param stdout standard output, decoded as UTF-8, cut at the runner's cap
 * @param stderr standard error, decoded as UTF-8, cut at the runner's cap
 * @param stdoutTruncated whether stdout was longer than the cap and has been cut
 * @param stderrTruncated whether stderr was longer than the cap and has been cut
 * @param duration wall-clock time from start to exit
 */
public record CommandResult(
    List<String> argv,
    int exitCode,
    String stdout,
    String stderr,
    boolean stdoutTruncated,
    boolean stderrTruncated,
    Duration duration) {

  /** Validates and copies the fields. */
  public CommandResult {
    argv = List.copyOf(argv);
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
    Objects.requireNonNull(duration, "duration");
  }

  /** A finished, successful result with no stderr; convenient in tests and fakes. */
  public static CommandResult ok(List<String> argv, String stdout) {
    return new CommandResult(argv, 0, stdout, "", false, false, Duration.ZERO);
  }

  /** Whether the command exited with status 0. */
  public boolean succeeded() {
    return exitCode == 0;
  }

  /** Standard output followed by standard error, for tools that mix facts into both. */
  public String combinedOutput() {
    if (stderr.isEmpty()) {
      return stdout;
    }
    if (stdout.isEmpty() || stdout.endsWith("\n")) {
      return stdout + stderr;
    }
    return stdout + "\n" + stderr;
  }

  /** The command as a person would type it, for messages. */
  public String commandLine() {
    return String.join(" ", argv);
  }
}
