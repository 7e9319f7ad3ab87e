package dev.refit.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread that runs a fake's work in order, now or after a delay. Keeping every state
 * change of a fake on one thread is what lets timers, informer events and test calls interleave
 * without locks. Failures of background tasks are logged, never swallowed silently.
 */
final class SerialExecutor implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

  private final ScheduledExecutorService executor;
  private volatile boolean closed;

  SerialExecutor(String threadName) {
    this(threadName, 1);
  }

  /**
   * With more than one thread tasks no longer run in order: only for independent tasks, such as the
   * kubelets' removals of terminated pods.
   */
  SerialExecutor(String threadName, int threads) {
    executor =
        Executors.newScheduledThreadPool(
            threads,
            r -> {
              Thread thread = new Thread(r, threadName);
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Runs {@code action} on the thread and waits for its result (rethrowing its failure). */
  <T> T call(Callable<T> action) {
    try {
      return executor.submit(action).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  void execute(Runnable task) {
    schedule(task, 0);
  }

  ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
    if (executor.isShutdown()) {
      return null;
    }
    return executor.schedule(() -> runLogged(task), delayMillis, TimeUnit.MILLISECONDS);
  }

  private void runLogged(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      if (!closed) { // closing interrupts requests in flight: that is no failure
        LOG.log(System.Logger.Level.WARNING, "background task of a fake failed", e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
  }
}
