package dev.refit.updater.app;

import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.CommandStartException;
import dev.refit.updater.host.CommandTimeoutException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * Times every host command ({@code refit_agent_host_command_seconds{command}}). The tag is the tool
 * and its subcommand ({@code rpm-ostree status}, {@code apiclient raw}), never an argument, so the
 * set of series stays small.
 */
final class TimedCommandRunner implements CommandRunner {

  private final CommandRunner delegate;
  private final MeterRegistry registry;

  TimedCommandRunner(CommandRunner delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  @Override
  public CommandResult execute(List<String> argv, Duration timeout)
      throws CommandTimeoutException, CommandStartException, InterruptedException {
    long start = System.nanoTime();
    try {
      return delegate.execute(argv, timeout);
    } finally {
      Timer.builder("refit.agent.host.command")
          .description("Duration of host commands, by tool and subcommand")
          .tag("command", tag(argv))
          .register(registry)
          .record(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** The tool, and its subcommand when the second word is one (not an option or a path). */
  static String tag(List<String> argv) {
    if (argv.size() > 1 && argv.get(1).matches("[a-z][a-z0-9-]*")) {
      return argv.get(0) + " " + argv.get(1);
    }
    return argv.isEmpty() ? "none" : argv.get(0);
  }
}
