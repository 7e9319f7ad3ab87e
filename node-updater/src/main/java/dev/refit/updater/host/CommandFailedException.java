package dev.refit.updater.host;

/**
 * The command ran to completion but exited with a non-zero status. The full result is kept: some
 * tools (apiclient, getsebool) explain themselves on stderr, and callers may want to parse that.
 */
public final class CommandFailedException extends CommandException {

  private static final long serialVersionUID = 1L;

  private final transient CommandResult result;

  /** Creates the exception from a finished, unsuccessful result. */
  public CommandFailedException(CommandResult result) {
    super(
        result.argv(),
        result.commandLine()
            + ": exited with status "
            + result.exitCode()
            + "; stderr: "
            + HostOutputException.excerpt(result.stderr()),
        null);
    this.result = result;
  }

  /** The finished result, with its exit code and output. */
  public CommandResult result() {
    return result;
  }

  /** The non-zero exit code. */
  public int exitCode() {
    return result.exitCode();
  }
}
