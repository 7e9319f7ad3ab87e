package dev.refit.operator.policy;

import dev.refit.operator.drain.Blocker;
import dev.refit.operator.rollout.Rollout;
import dev.refit.operator.schedule.Windows;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The timer of a policy: the only reasons it wakes without an event. */
final class NextWake {
  private NextWake() {}

  /** How often a blocked drain's status is refreshed (its "blocked for" duration). */
  static final Duration BLOCKED_REFRESH = Duration.ofMinutes(1);

  /**
   * When the policy must be looked at again even if nothing happens: a phase deadline, the schedule
   * opening or closing, a soak ending, and once a minute while a drain is blocked.
   */
  static Optional<Duration> of(
      Rollout.Result round,
      Map<String, Blocker> blockers,
      Windows.State window,
      Rollout.Settings settings,
      Instant now) {
    List<Instant> times = new java.util.ArrayList<>();
    for (Rollout.NodeResult node : round.nodes()) {
      if (node.last().wakeAt() != null) {
        times.add(node.last().wakeAt());
      }
      if (Rollout.soaking(node.last(), settings, now)) {
        times.add(node.last().since().plus(settings.soak()));
      }
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
