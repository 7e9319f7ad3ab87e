package dev.refit.updater.selinux;

import dev.refit.updater.host.CommandException;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostException;
import java.time.Duration;
import java.util.List;

/** The SELinux tools' commands, run with one timeout; a failure quotes the command and output. */
final class SelinuxCommands {

  /** semodule rebuilds the whole policy; on a slow host that takes minutes. */
  static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final CommandRunner runner;

  SelinuxCommands(CommandRunner runner) {
    this.runner = runner;
  }

  /** Runs a command that must exit with status 0. */
  CommandResult run(List<String> argv) throws HostException {
    try {
      return runner.run(argv, TIMEOUT);
    } catch (CommandException e) {
      throw HostException.of(e);
    } catch (InterruptedException e) {
      throw interrupted(argv);
    }
  }

  /** Runs a command whose non-zero exit carries information (getsebool on a disabled host). */
  CommandResult execute(List<String> argv) throws HostException {
    try {
      return runner.execute(argv, TIMEOUT);
    } catch (CommandException e) {
      throw HostException.of(e);
    } catch (InterruptedException e) {
      throw interrupted(argv);
    }
  }

  private static HostException interrupted(List<String> argv) {
    Thread.currentThread().interrupt();
    return new HostException(
        HostException.COMMAND_FAILED, String.join(" ", argv) + ": interrupted");
  }
}
