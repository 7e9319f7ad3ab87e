package dev.refit.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;

/**
 * Injects API faults into the requests of one client (chosen by its User-Agent), as a real API
 * server under load or a flaky network gives them, so that they reach the client's code and not
 * only its HTTP layer.
 *
 * <p>A client retries some answers itself (Fabric8 retries 5xx and 429, the latter after its
 * Retry-After, up to its retry limit). A fault that its retries absorb never reaches the code that
 * made the request. So a retried fault is injected as a <em>streak</em>: the same request (method,
 * path and body) is failed on 1 to limit+1 consecutive attempts, the length drawn at random. A
 * streak of limit+1 exhausts the client's retries: that operation failed <em>for the client's
 * code</em>, and is counted as such. A 409 Conflict is never retried by the client, so each one
 * reaches the code. Watches are closed mid-stream, and a re-watch (a watch from a resource version)
 * may be answered {@code 410 Gone}, which forces a full re-list: both always reach the informer.
 *
 * <p>{@link #counts()} tells injected faults apart from those that reached the client's code.
 */
public final class ApiFaults {

  /** The kinds of fault. */
  public enum Kind {
    /** 500 or 503, retried by the client. */
    SERVER_ERROR,
    /** 429 Too Many Requests with Retry-After: 1, retried by the client after a second. */
    THROTTLED,
    /**
     * 504 with reason Timeout after a delay, as the API server answers when storage is slow; a
     * delay longer than the client's request timeout makes the client give up on its own.
     */
    TIMEOUT,
    /** 409 Conflict on a write (update, patch, delete), never retried by the client. */
    CONFLICT,
    /** An open watch closed by the server mid-stream. */
    WATCH_CLOSED,
    /** A re-watch from a resource version answered 410 Gone. */
    GONE
  }

  /**
   * How often each fault happens, as fractions (0..1) of the eligible requests: every request for
   * server errors, throttling and timeouts; writes for conflicts; any request for closing one of
   * the client's open watches; watches from a resource version for 410 Gone.
   *
   * @param retryLimit how many times the client retries a 5xx or 429 (its production setting)
   * @param timeoutDelayMillis how long a TIMEOUT answer is held back
   */
  public record Mix(
      double serverErrors,
      double throttles,
      double timeouts,
      double conflicts,
      double watchCloses,
      double gone,
      int retryLimit,
      long timeoutDelayMillis) {

    /** Server errors only (500/503), at this rate; the client retries three times. */
    public static Mix serverErrors(double rate) {
      return new Mix(rate, 0, 0, 0, 0, 0, 3, 0);
    }

    boolean any() {
      return serverErrors + throttles + timeouts + conflicts + watchCloses + gone > 0;
    }
  }

  /**
   * What was done to the client so far.
   *
   * @param injected fault answers sent (and watches closed), by kind
   * @param reachedClient operations whose failure reached the client's code: streaks that exhausted
   *     its retries, conflicts, closed watches and 410s
   * @param absorbed streaks that the client's own retries absorbed (the operation succeeded later)
   */
  public record Counts(Map<Kind, Long> injected, long reachedClient, long absorbed) {
    public long injectedTotal() {
      return injected.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** An operation being failed: the attempts it still fails, and whether the last one ends it. */
  private static final class Streak {
    final Kind kind;
    int remaining;
    final boolean exhaustsRetries;
    final long started;
    final Instant startedAt;

    Streak(Kind kind, int remaining, boolean exhaustsRetries, long started) {
      this.kind = kind;
      this.remaining = remaining;
      this.exhaustsRetries = exhaustsRetries;
      this.started = started;
      this.startedAt = Instant.now();
    }
  }

  /** A write the faults held back: first tried, then served once the client's retries got in. */
  private record HeldBack(String object, Instant firstTried, Instant landed) {}

  /** Held-back writes are kept this long after they landed. */
  private static final Duration HELD_BACK_KEPT = Duration.ofMinutes(1);

  /** Streaks the client never came back to are forgotten after this long. */
  private static final long STREAK_EXPIRY_NANOS = 60_000_000_000L;

  private Mix mix = new Mix(0, 0, 0, 0, 0, 0, 3, 0);
  private String userAgentPart = "";
  private Random random;
  private final Map<String, Streak> streaks = new HashMap<>();
  private final java.util.Set<String> closedWatches = new java.util.HashSet<>();
  private final java.util.Deque<HeldBack> heldBack = new java.util.ArrayDeque<>();
  private final long[] injected = new long[Kind.values().length];
  private long reachedClient;
  private long absorbed;

  ApiFaults(long seed) {
    this.random = new Random(seed);
  }

  /** From now on, fail this fraction (0..1) of the requests whose User-Agent contains the text. */
  public void failRandomly(double fraction, String userAgentContains) {
    inject(Mix.serverErrors(fraction), userAgentContains, 42);
  }

  /** From now on, inject this mix into the requests whose User-Agent contains the text. */
  public synchronized void inject(Mix mix, String userAgentContains, long seed) {
    this.mix = mix;
    this.userAgentPart = userAgentContains;
    this.random = new Random(seed);
  }

  /** Stops injecting (streaks under way end at their next attempt). */
  public synchronized void stop() {
    mix = new Mix(0, 0, 0, 0, 0, 0, mix.retryLimit(), 0);
  }

  /** How many fault answers were sent, of every kind. */
  public synchronized long injected() {
    return Arrays.stream(injected).sum();
  }

  /** What was done so far. */
  public synchronized Counts counts() {
    expireStreaks(System.nanoTime());
    Map<Kind, Long> byKind = new java.util.EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      if (injected[kind.ordinal()] > 0) {
        byKind.put(kind, injected[kind.ordinal()]);
      }
    }
    return new Counts(byKind, reachedClient, absorbed);
  }

  /**
   * The fault to answer a request with, or null to serve it.
   *
   * @param key what identifies the request across the client's retries: method, path and body
   * @param object the name of the object it is about, or null
   * @param write whether it is an update, patch or delete
   * @param watch whether it opens a watch
   * @param watchedQuery for a watch, what it watches (see {@link #watchedQuery})
   */
  synchronized Kind fault(
      String userAgent,
      String key,
      String object,
      boolean write,
      boolean watch,
      String watchedQuery) {
    if (userAgent == null || !userAgent.contains(userAgentPart)) {
      return null;
    }
    long now = System.nanoTime();
    Streak streak = streaks.get(key);
    if (streak != null) {
      Kind kind = continueStreak(key, streak);
      if (kind == null && write && object != null) {
        heldBack(object, streak.startedAt);
      }
      return kind;
    }
    if (!mix.any()) {
      return null;
    }
    if (watch) {
      // only the watch that follows one closed on purpose is a re-watch for certain: the first
      // watch after a fresh list is never too old
      boolean rewatch = closedWatches.remove(userAgent + " " + watchedQuery);
      return rewatch && random.nextDouble() < mix.gone() ? reached(Kind.GONE) : null;
    }
    double draw = random.nextDouble();
    if ((draw -= mix.conflicts()) < 0) {
      return write ? reached(Kind.CONFLICT) : null;
    }
    Kind kind = null;
    if ((draw -= mix.serverErrors()) < 0) {
      kind = Kind.SERVER_ERROR;
    } else if ((draw -= mix.throttles()) < 0) {
      kind = Kind.THROTTLED;
    } else if ((draw -= mix.timeouts()) < 0) {
      kind = Kind.TIMEOUT;
    }
    if (kind == null) {
      return null;
    }
    if (streaks.size() > 10_000) {
      expireStreaks(now);
    }
    int length = 1 + random.nextInt(mix.retryLimit() + 1);
    Streak started = new Streak(kind, length, length == mix.retryLimit() + 1, now);
    streaks.put(key, started);
    return continueStreak(key, started);
  }

  private void heldBack(String object, Instant firstTried) {
    Instant now = Instant.now();
    while (!heldBack.isEmpty()
        && heldBack.peekFirst().landed().isBefore(now.minus(HELD_BACK_KEPT))) {
      heldBack.removeFirst();
    }
    heldBack.addLast(new HeldBack(object, firstTried, now));
  }

  /**
   * When the client first tried a write to an object of this name (of any resource: a Node and its
   * OSNode share it) that the faults held back and that landed after the given moment; null when no
   * such write landed. A decision the client made before its write was held back lands late by that
   * much: an observer judging the moment a write lands can allow for it.
   */
  public synchronized Instant firstTriedOfHeldBack(String object, Instant landedAfter) {
    Instant earliest = null;
    for (HeldBack held : heldBack) {
      if (held.object().equals(object)
          && held.landed().isAfter(landedAfter)
          && (earliest == null || held.firstTried().isBefore(earliest))) {
        earliest = held.firstTried();
      }
    }
    return earliest;
  }

  /** What a watch request watches: its path and selectors, without its resource version. */
  static String watchedQuery(String path) {
    return path.replaceAll(
        "([?&])(resourceVersion|timeoutSeconds|allowWatchBookmarks)=[^&]*", "$1");
  }

  /** Whether to close one of the client's open watches now. */
  synchronized boolean closeAWatch(String userAgent) {
    return userAgent != null
        && userAgent.contains(userAgentPart)
        && mix.watchCloses() > 0
        && random.nextDouble() < mix.watchCloses();
  }

  /** A watch of the client was closed on purpose; the client's next watch of it is a re-watch. */
  synchronized void watchClosed(String userAgent, String watchedQuery) {
    closedWatches.add(userAgent + " " + watchedQuery);
    reached(Kind.WATCH_CLOSED);
  }

  /** Picks one of {@code size} things at random. */
  synchronized int pick(int size) {
    return random.nextInt(size);
  }

  long timeoutDelayMillis() {
    return mix.timeoutDelayMillis();
  }

  private Kind continueStreak(String key, Streak streak) {
    if (streak.remaining == 0) {
      // the attempt after the streak is served: if the client got here by retrying, its retries
      // absorbed every fault of the streak
      streaks.remove(key);
      if (!streak.exhaustsRetries) {
        absorbed++;
      }
      return null;
    }
    streak.remaining--;
    injected[streak.kind.ordinal()]++;
    if (streak.remaining == 0 && streak.exhaustsRetries) {
      reachedClient++;
    }
    return streak.kind;
  }

  private Kind reached(Kind kind) {
    injected[kind.ordinal()]++;
    reachedClient++;
    return kind;
  }

  private void expireStreaks(long now) {
    for (Iterator<Streak> it = streaks.values().iterator(); it.hasNext(); ) {
      Streak streak = it.next();
      if (now - streak.started > STREAK_EXPIRY_NANOS) {
        if (streak.remaining == 0 && !streak.exhaustsRetries) {
          // the client never came back after its last fault: it gave up earlier than assumed
          reachedClient++;
        }
        it.remove();
      }
    }
  }
}
