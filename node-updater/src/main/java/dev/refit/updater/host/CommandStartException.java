package dev.refit.updater.host;

import java.util.List;

/**
 * The command never ran: the executable (or nsenter/chroot) is missing, not permitted, or a fake
 * runner had no answer scripted for it.
 */
public final class CommandStartException extends CommandException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with the reason the start failed. */
  public CommandStartException(List<String> argv, String reason, Throwable cause) {
    super(argv, String.join(" ", argv) + ": could not start: " + reason, cause);
  }
}
