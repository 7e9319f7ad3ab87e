package dev.refit.testing;

import dev.refit.testing.invariants.ServerClock;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The embedded API's clock of writes: the moment each resourceVersion was handed out, for the last
 * {@link #KEPT} of them (a judge asks about what it is seeing now, never about old writes).
 */
public final class ServerTimes implements ServerClock {

  /** How many resourceVersions are remembered. */
  static final int KEPT = 200_000;

  private final Clock clock;
  private final ConcurrentSkipListMap<Long, Instant> written = new ConcurrentSkipListMap<>();

  ServerTimes(Clock clock) {
    this.clock = clock;
  }

  /** The server handed out this resourceVersion now. */
  void wrote(long resourceVersion) {
    written.put(resourceVersion, clock.instant());
    while (written.size() > KEPT) {
      written.pollFirstEntry();
    }
  }

  @Override
  public Instant written(String resourceVersion) {
    if (resourceVersion == null) {
      return null;
    }
    try {
      return written.get(Long.parseLong(resourceVersion));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
