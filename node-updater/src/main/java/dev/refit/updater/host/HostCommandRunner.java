package dev.refit.updater.host;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands as real processes on the host, through a {@link HostExecution} prefix (nsenter by
 * default).
 *
 * <p>Guarantees: the timeout is enforced by killing the process and every descendant; stdout and
 * stderr are drained concurrently so a chatty tool never blocks on a full pipe; each stream keeps
 * at most its cap (4 MiB / 64 KiB by default) and says when it was cut; stdin is closed so a tool
 * that asks a question gets EOF instead of hanging.
 *
 * <p>Commands get an environment of their own, not the agent's: {@link #ENVIRONMENT} and nothing
 * else. The agent's container environment would mislead the host's tools: bootc and ostree's
 * container code take {@code container=...} (set by many base images) to mean they run inside a
 * container, where {@code bootc status} reports nothing and {@code bootc switch} refuses. {@code
 * LC_ALL=C} because the parsers match English messages ("SELinux is disabled", "Update lock held");
 * PATH is a host's usual one, searched in the host's filesystem once nsenter or chroot has entered
 * it.
 */
public final class HostCommandRunner implements CommandRunner {

  /**
   * Default stdout cap: the largest real output, rpm-ostree status with image metadata, is 30 KB.
   */
  public static final int DEFAULT_STDOUT_LIMIT = 4 * 1024 * 1024;

  /** Default stderr cap: enough for any error message, small enough to never matter. */
  public static final int DEFAULT_STDERR_LIMIT = 64 * 1024;

  /** How long to wait for the pipes to reach EOF after the process has gone. */
  private static final Duration DRAIN_GRACE = Duration.ofSeconds(2);

  /** The whole environment of a host command. */
  public static final Map<String, String> ENVIRONMENT =
      Map.of(
          "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "LC_ALL", "C",
          "LANG", "C",
          "HOME", "/root");

  private final HostExecution execution;
  private final int stdoutLimit;
  private final int stderrLimit;

  /** A runner with the given prefix and the default output caps. */
  public HostCommandRunner(HostExecution execution) {
    this(execution, DEFAULT_STDOUT_LIMIT, DEFAULT_STDERR_LIMIT);
  }

  /** A runner with the given prefix and output caps (in bytes). */
  public HostCommandRunner(HostExecution execution, int stdoutLimit, int stderrLimit) {
    if (stdoutLimit < 1 || stderrLimit < 1) {
      throw new IllegalArgumentException("output limits must be positive");
    }
    this.execution = Objects.requireNonNull(execution, "execution");
    this.stdoutLimit = stdoutLimit;
    this.stderrLimit = stderrLimit;
  }

  /** The prefix this runner puts in front of commands. */
  public HostExecution execution() {
    return execution;
  }

  @Override
  public CommandResult execute(List<String> argv, Duration timeout)
      throws CommandTimeoutException, CommandStartException, InterruptedException {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv must not be empty");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    ProcessBuilder builder = new ProcessBuilder(execution.wrap(argv));
    builder.environment().clear();
    builder.environment().putAll(ENVIRONMENT);
    long started = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException | SecurityException e) {
      throw new CommandStartException(argv, describeStartFailure(e), e);
    }
    closeQuietly(process);
    String name = argv.get(0);
    BoundedCapture out = BoundedCapture.start(process.getInputStream(), stdoutLimit, name + "-out");
    BoundedCapture err = BoundedCapture.start(process.getErrorStream(), stderrLimit, name + "-err");
    boolean exited;
    try {
      exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      killTree(process);
      throw e;
    }
    if (!exited) {
      killTree(process);
    }
    long drainDeadline = System.nanoTime() + DRAIN_GRACE.toNanos();
    out.finish(drainDeadline);
    err.finish(drainDeadline);
    if (!exited) {
      throw new CommandTimeoutException(argv, timeout, out.text(), err.text());
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    return new CommandResult(
        argv, process.exitValue(), out.text(), err.text(), out.truncated(), err.truncated(), took);
  }

  /**
   * Kills the process and all its descendants. Descendants are looked up repeatedly because one may
   * fork between the lookup and the kill; once a parent is dead its children are reparented and no
   * longer findable, so children go first. With nsenter the tool is nsenter's child, which is why
   * killing only the direct process would leave the real work running.
   */
  static void killTree(Process process) {
    for (int round = 0; round < 5; round++) {
      List<ProcessHandle> descendants = process.descendants().toList();
      if (descendants.isEmpty()) {
        break;
      }
      descendants.forEach(ProcessHandle::destroyForcibly);
    }
    process.destroyForcibly();
    try {
      process.waitFor(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // A child that already exited has no stdin to close; nothing is lost.
    }
  }

  private static String describeStartFailure(Exception e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
