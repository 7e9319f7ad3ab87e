package dev.refit.updater.host;

import java.time.Duration;
import java.util.List;

/**
 * Runs one host command and returns what it printed. Implementations: {@link HostCommandRunner}
 * (real processes, in the host's namespaces) and the tests' {@code FakeCommandRunner} (scripted
 * answers).
 *
 * <p>There is no shell anywhere: the argv goes to the kernel as given, so nothing in it is ever
 * interpreted, whatever a policy author wrote into an image reference.
 */
public interface CommandRunner {

  /**
   * Runs the command and returns its result whatever its exit code; use this when a non-zero exit
   * carries information (apiclient's 409/423 answers, {@code getsebool} on a disabled host).
   *
   * @throws CommandTimeoutException if it ran longer than {@code timeout} (it has been killed)
   * @throws CommandStartException if it could not be started
   * @throws InterruptedException if the calling thread was interrupted (the command is killed)
   */
  CommandResult execute(List<String> argv, Duration timeout)
      throws CommandTimeoutException, CommandStartException, InterruptedException;

  /**
   * Runs the command and insists on exit status 0.
   *
   * @throws CommandFailedException if it exited with another status
   * @throws CommandTimeoutException if it ran longer than {@code timeout} (it has been killed)
   * @throws CommandStartException if it could not be started
   * @throws InterruptedException if the calling thread was interrupted (the command is killed)
   */
  default CommandResult run(List<String> argv, Duration timeout)
      throws CommandException, InterruptedException {
    CommandResult result = execute(argv, timeout);
    if (!result.succeeded()) {
      throw new CommandFailedException(result);
    }
    return result;
  }
}
