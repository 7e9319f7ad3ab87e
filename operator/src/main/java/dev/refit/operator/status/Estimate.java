package dev.refit.operator.status;

import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.operator.lifecycle.Decision;
import dev.refit.operator.plan.Round;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * When a rollout is expected to finish, from the pace of its own updates so far: the time between
 * its first and its last update for this target, per update, times the nodes left. It uses only the
 * times recorded on the OSNodes (when each node became up to date), so it is the same whichever
 * operator computes it, and it changes only when a node finishes, not with every round.
 */
final class Estimate {

  private Estimate() {}

  /**
   * The expected end (RFC 3339, to the second), or null: fewer than two nodes updated yet, nothing
   * left, or a rollout that does not go on by itself now (halted, held, done).
   */
  static String completion(Round.Result round, Waits.Wait wait) {
    if (!wait.progressing() || round.plan().halted()) {
      return null;
    }
    List<Instant> updated =
        round.nodes().stream()
            .map(Round.NodeResult::last)
            .filter(d -> d.state() == NodeState.UpToDate && NodeReasons.UPDATED.equals(d.reason()))
            .map(Decision::since)
            .sorted()
            .toList();
    long left =
        round.nodes().stream()
            .map(n -> n.last().state())
            .filter(s -> s != NodeState.UpToDate && s != NodeState.Failed && s != NodeState.Skipped)
            .count();
    if (updated.size() < 2 || left == 0) {
      return null;
    }
    Instant first = updated.get(0);
    Instant last = updated.get(updated.size() - 1);
    Duration pace = Duration.between(first, last).dividedBy(updated.size() - 1);
    if (pace.isZero()) {
      return null;
    }
    return last.plus(pace.multipliedBy(left)).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
