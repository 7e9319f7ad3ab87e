package dev.refit.updater.host;

import java.time.Duration;
import java.util.List;

/**
 * The command ran longer than its timeout and was killed, with every process it had started.
 * Whatever it printed before that is kept, because it often says what it was stuck on.
 */
public final class CommandTimeoutException extends CommandException {

  private static final long serialVersionUID = 1L;

  private final Duration timeout;
  private final String partialStdout;
  private final String partialStderr;

  /** Creates the exception with the output captured before the kill. */
  public CommandTimeoutException(
      List<String> argv, Duration timeout, String partialStdout, String partialStderr) {
    super(
        argv,
        String.join(" ", argv)
            + ": timed out after "
            + timeout.toMillis()
            + " ms and was killed; stderr so far: "
            + HostOutputException.excerpt(partialStderr),
        null);
    this.timeout = timeout;
    this.partialStdout = partialStdout;
    this.partialStderr = partialStderr;
  }

  /** The timeout that was exceeded. */
  public Duration timeout() {
    return timeout;
  }

  /** Standard output captured before the kill. */
  public String partialStdout() {
    return partialStdout;
  }

  /** Standard error captured before the kill. */
  public String partialStderr() {
    return partialStderr;
  }
}
