package dev.refit.operator.plan;

import java.time.Duration;
import java.time.Instant;

/**
 * The policy's Prometheus health check ({@code healthCheck.prometheus}) as a round sees it: the
 * last answer Prometheus gave to its query, if any. A node may start only on a recent answer with
 * no series; a query that returns series, fails or times out holds every start (like kured's alert
 * check), and is asked again while it holds.
 *
 * @param last the last answer to the policy's current URL and query, or null when none came yet
 * @param fresh how old an answer with no series may be and still let a node start; a query that
 *     holds the rollout (series, an error) is asked again this often
 */
public record HealthQuery(Answer last, Duration fresh) {

  /** The operator's default for {@code fresh} ({@code refit.health-query.interval}). */
  public static final Duration FRESH = Duration.ofSeconds(15);

  /** The last answer, judged with the default interval. */
  public HealthQuery(Answer last) {
    this(last, FRESH);
  }

  /** What the query's answer means for the rollout. */
  public enum Verdict {
    /** Prometheus answered with no series: healthy. */
    CLEAR,
    /** Prometheus answered with series: unhealthy. */
    SERIES,
    /** No usable answer: an HTTP or query error, a timeout, an answer that is not a vector. */
    FAILED
  }

  /**
   * One answer.
   *
   * @param at when it came
   * @param verdict what it means
   * @param detail for people: the series (count and first few label sets) or the error
   */
  public record Answer(Instant at, Verdict verdict, String detail) {}

  /** Whether a node may start now: the last answer is recent and had no series. */
  public boolean clears(Instant now) {
    return last != null && last.verdict() == Verdict.CLEAR && now.isBefore(last.at().plus(fresh));
  }

  /** Whether the query must be asked before a node can start: no answer yet, or a stale one. */
  public boolean stale(Instant now) {
    return last == null || !now.isBefore(last.at().plus(fresh));
  }

  /** Whether the last answer holds the rollout (series or an error), so a person must hear it. */
  public boolean unhealthy() {
    return last != null && last.verdict() != Verdict.CLEAR;
  }

  /** When a query that holds the rollout is asked again; null when it does not hold it. */
  public Instant recheckAt() {
    return unhealthy() ? last.at().plus(fresh) : null;
  }

  /** Why no node starts, as a person reads it. */
  public String hold() {
    if (last == null || last.verdict() == Verdict.CLEAR) {
      return "asking Prometheus (healthCheck.prometheus) before the next node starts";
    }
    if (last.verdict() == Verdict.SERIES) {
      return "healthCheck.prometheus returns "
          + last.detail()
          + "; no node starts until it returns none";
    }
    return "healthCheck.prometheus failed: "
        + last.detail()
        + "; no node starts until Prometheus answers with no series";
  }
}
