package dev.refit.operator.config;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * What a replica does when it stops leading. Lost while running (the Lease taken over, renewals
 * failing), the process exits, so it never reconciles beside a new leader and Kubernetes starts it
 * again as a follower. Lost because the process is stopping anyway (SIGTERM: the Operator SDK
 * cancels its election while it shuts down), nothing more is done: the Operator SDK's own exit on
 * losing the Lease would then call {@code System.exit} inside the JVM's shutdown hook, which blocks
 * that hook for good, and the pod would hang until the kubelet kills it at the end of its grace
 * period.
 */
@Singleton
public class LeaseLoss {

  private static final Logger LOG = Logger.getLogger(LeaseLoss.class);

  private final Runnable exit;
  private volatile boolean stopping;

  /** Exits the process with status 1 when the Lease is lost while running. */
  public LeaseLoss() {
    // From a thread of its own: the caller is the election's thread, which the shutdown waits for.
    this(() -> new Thread(() -> System.exit(1), "refit-lease-lost-exit").start());
  }

  /** Runs {@code exit} when the Lease is lost while running (tests pass their own). */
  LeaseLoss(Runnable exit) {
    this.exit = exit;
  }

  /**
   * Notes the shutdown before the Operator SDK stops the operator (its observer has the default
   * priority, which runs after this one).
   */
  void stopping(@Observes @Priority(1) ShutdownEvent shutdown) {
    stopping = true;
  }

  /**
   * The start is being refused ({@link CacheSync}): a Lease this replica already holds goes with
   * the stop that follows, as in a shutdown, so the refusal's reason reaches the log.
   */
  void startRefused() {
    stopping = true;
  }

  /** The Lease's stop-leading callback. */
  public void stoppedLeading() {
    if (stopping) {
      LOG.info("Stopped leading: the operator is shutting down");
      return;
    }
    LOG.warn("Lost the Lease while running: exiting so that only the new leader reconciles");
    exit.run();
  }
}
