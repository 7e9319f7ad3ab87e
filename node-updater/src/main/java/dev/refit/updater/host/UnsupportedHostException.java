package dev.refit.updater.host;

/**
 * The host's {@code /etc/os-release} was read fine, but it describes an OS Refit cannot update (for
 * example a plain Fedora Server). Kept apart from malformed output so the agent can report
 * "unsupported OS" rather than "broken tool".
 */
public final class UnsupportedHostException extends HostOutputException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code seen} is the identifying part of os-release. */
  public UnsupportedHostException(String command, String expected, String seen) {
    super(command, expected, seen);
  }
}
