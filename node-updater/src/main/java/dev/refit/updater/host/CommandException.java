package dev.refit.updater.host;

import java.util.List;

/**
 * A host command did not produce a usable result: it could not start, ran out of time, or exited
 * with a non-zero status. Sealed so callers can switch over the three cases and decide which are
 * worth a retry.
 */
public abstract sealed class CommandException extends Exception
    permits CommandStartException, CommandTimeoutException, CommandFailedException {

  private static final long serialVersionUID = 1L;

  private final List<String> argv;

  CommandException(List<String> argv, String message, Throwable cause) {
    super(message, cause);
    this.argv = List.copyOf(argv);
  }

  /** The command as asked for, without the nsenter/chroot prefix. */
  public List<String> argv() {
    return argv;
  }

  /** The command as a person would type it. */
  public String commandLine() {
    return String.join(" ", argv);
  }
}
