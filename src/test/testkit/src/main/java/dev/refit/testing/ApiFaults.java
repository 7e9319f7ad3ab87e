package dev.refit.testing;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Injects API errors, as a real API server under load or a flaky network gives them: a fraction of
 * the requests of chosen clients (by their User-Agent) is answered with a 500 or 503 and never
 * reaches the store. Watches are left alone; a broken watch is a different fault.
 */
public final class ApiFaults {

  private volatile double rate;
  private volatile String userAgentPart;
  private final Random random;
  private final AtomicLong injected = new AtomicLong();

  ApiFaults(long seed) {
    this.random = new Random(seed);
  }

  /** From now on, fail this fraction (0..1) of the requests whose User-Agent contains the text. */
  public void failRandomly(double fraction, String userAgentContains) {
    this.userAgentPart = userAgentContains;
    this.rate = fraction;
  }

  /** Stops injecting. */
  public void stop() {
    rate = 0;
  }

  /** How many requests were failed on purpose. */
  public long injected() {
    return injected.get();
  }

  /** The HTTP code to answer instead, or 0 to serve the request. */
  int fault(String userAgent, boolean watch) {
    double current = rate;
    if (current <= 0 || watch || userAgent == null || !userAgent.contains(userAgentPart)) {
      return 0;
    }
    synchronized (random) {
      if (random.nextDouble() >= current) {
        return 0;
      }
      injected.incrementAndGet();
      return random.nextBoolean() ? 500 : 503;
    }
  }
}
