package dev.refit.updater.backend;

import java.time.Duration;

/**
 * Waits between polls inside one backend call (another client's rpm-ostree transaction, the
 * Bottlerocket update API finishing an activation). Tests pass one that moves a simulated clock.
 */
@FunctionalInterface
public interface Sleeper {

  /** The real one: the calling thread sleeps. */
  Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

  /** Returns after {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;
}
