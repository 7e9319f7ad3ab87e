package dev.refit.updater.host;

/**
 * A host step could not be done. Carries a CamelCase reason and a message that quotes the command
 * and what it printed, so it goes into {@code OSNode.status.lastError} as it is.
 */
public class HostException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Reasons for failures of the host tools themselves. */
  public static final String COMMAND_FAILED = "CommandFailed";

  public static final String COMMAND_TIMED_OUT = "CommandTimedOut";
  public static final String COMMAND_NOT_STARTED = "CommandNotStarted";
  public static final String UNPARSEABLE_OUTPUT = "UnparseableOutput";
  public static final String UNSUPPORTED_HOST = "UnsupportedHost";

  private final String reason;

  /** A failure with this reason and message. */
  public HostException(String reason, String message) {
    this(reason, message, null);
  }

  /** A failure with this reason, message and cause. */
  public HostException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** The CamelCase reason. */
  public String reason() {
    return reason;
  }

  /** A failed, timed-out or unstartable command. */
  public static HostException of(CommandException e) {
    String reason =
        e instanceof CommandFailedException
            ? COMMAND_FAILED
            : e instanceof CommandTimeoutException ? COMMAND_TIMED_OUT : COMMAND_NOT_STARTED;
    if (e instanceof CommandStartException) {
      return new HostException(reason, e.commandLine() + ": could not start: " + e.getMessage(), e);
    }
    return new HostException(reason, e.getMessage(), e);
  }

  /** Output a parser rejected (empty, truncated, malformed), or a host Refit does not support. */
  public static HostException of(HostOutputException e) {
    String reason = e instanceof UnsupportedHostException ? UNSUPPORTED_HOST : UNPARSEABLE_OUTPUT;
    return new HostException(reason, e.getMessage(), e);
  }
}
