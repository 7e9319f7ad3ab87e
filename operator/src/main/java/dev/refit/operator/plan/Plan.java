package dev.refit.operator.plan;

import java.util.List;
import java.util.Set;

/**
 * Which nodes may start their disruption now, and why others may not.
 *
 * @param granted nodes given a disruption slot now
 * @param maxUnavailable the resolved limit
 * @param unavailable managed nodes unavailable before the grants (disrupted by Refit, NotReady, or
 *     cordoned by anyone)
 * @param maxFailed the resolved failure budget
 * @param failed nodes failed for the current target
 * @param halt why no node may start, when the rollout is halted (failure budget spent, a drain
 *     timed out under Halt), or null
 * @param hold why no node starts now though the rollout is not halted (paused, spec problem), or
 *     null
 * @param waiting staged nodes that wait for a slot, in the order they will get one
 */
public record Plan(
    Set<String> granted,
    int maxUnavailable,
    int unavailable,
    int maxFailed,
    int failed,
    Halt halt,
    String hold,
    List<String> waiting) {

  public boolean halted() {
    return halt != null;
  }
}
