package dev.refit.operator.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The timer of a policy: the only reasons it wakes without an event. */
public final class NextWake {
  private NextWake() {}

  /** How often a blocked drain's status is refreshed (its "blocked for" duration). */
  static final Duration BLOCKED_REFRESH = Duration.ofMinutes(1);

  /**
   * When the policy must be looked at again even if nothing happens: a phase deadline, the schedule
   * opening or closing, a soak ending (a node's or the canaries'), the Prometheus check to ask
   * again while it holds the rollout, and once a minute while a drain is blocked.
   */
  public static Optional<Duration> of(
      Round.Result round, Map<String, Blocker> blockers, Windows.State window, Instant now) {
    Round.Settings settings = round.settings();
    List<Instant> times = new java.util.ArrayList<>();
    for (Round.NodeResult node : round.nodes()) {
      if (node.last().wakeAt() != null) {
        times.add(node.last().wakeAt());
      }
      if (Round.soaking(node.last(), settings, now)) {
        times.add(node.last().since().plus(settings.soak()));
      }
    }
    Canaries.Phase canary = round.plan().canary();
    if (canary != null && canary.stage() == Canaries.Stage.SOAKING) {
      times.add(canary.soakEnds());
    }
    HealthQuery query = settings.healthQuery();
    if (round.heldByQuery() && !round.askQuery() && query.recheckAt() != null) {
      // the query holds the rollout on a recent answer: ask it again when that answer is stale (a
      // query being asked wakes the policy with its answer)
      times.add(query.recheckAt());
    }
    if (window.nextChange() != null) {
      times.add(window.nextChange());
    }
    if (!blockers.isEmpty()) {
      times.add(now.plus(BLOCKED_REFRESH));
    }
    return times.stream()
        .min(java.util.Comparator.naturalOrder())
        .map(t -> Duration.between(now, t).plusMillis(10))
        .map(w -> w.isNegative() ? Duration.ZERO : w);
  }
}
