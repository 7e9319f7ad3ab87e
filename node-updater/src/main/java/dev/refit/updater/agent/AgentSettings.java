package dev.refit.updater.agent;

import java.time.Duration;

/**
 * The agent's timing.
 *
 * @param rebootGrace how long after asking for a reboot the host must have gone down; past it the
 *     agent reports {@code RebootDidNotHappen} instead of asking again
 * @param factsInterval how often the host's facts are read when nothing happens, so changes made
 *     behind the agent's back (a person's rpm-ostree command) show up in the status
 * @param retryDelay the first delay before retrying a failed status write or fact read; it doubles
 *     on each failure, up to {@code factsInterval}
 * @param maxFactFailures consecutive failed fact reads after which a pending instruction fails
 */
public record AgentSettings(
    Duration rebootGrace, Duration factsInterval, Duration retryDelay, int maxFactFailures) {

  /** The defaults of a real host: 10 min grace, facts every 10 min, retries from 5 s, 5 tries. */
  public static AgentSettings defaults() {
    return new AgentSettings(
        Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofSeconds(5), 5);
  }

  /** The retry delay after this many consecutive failures. */
  public Duration backoff(int failures) {
    Duration delay = retryDelay.multipliedBy(1L << Math.min(Math.max(failures - 1, 0), 10));
    return delay.compareTo(factsInterval) > 0 ? factsInterval : delay;
  }
}
