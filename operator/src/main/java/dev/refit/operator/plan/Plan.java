package dev.refit.operator.plan;

import java.util.List;
import java.util.Set;

/**
 * Which nodes may start their disruption now, and why others may not.
 *
 * @param granted nodes given a disruption slot now
 * @param maxUnavailable the resolved limit
 * @param unavailable managed nodes unavailable before the grants (disrupted by Refit, soaking,
 *     NotReady, or cordoned by anyone)
 * @param maxFailed the resolved failure budget
 * @param failed nodes failed for the current target
 * @param halt why no node may start, when the rollout is halted (failure budget spent, a drain
 *     timed out under Halt), or null
 * @param hold why no node starts now though the rollout is not halted (paused, spec problem), or
 *     null
 * @param waiting staged nodes that could start but wait for a slot, in the order they will get one
 * @param holders the unavailable nodes and why, Refit's own (in flight, soaking) first, each part
 *     in rollout order
 * @param cannotStart staged nodes that cannot start now even with a slot (NotReady, cordoned by
 *     someone else, refused by their hosts), and why
 * @param canary the canary phase, or null when the policy has no canaries
 * @param afterCanaries staged nodes that could start but wait for the canaries
 */
public record Plan(
    Set<String> granted,
    int maxUnavailable,
    int unavailable,
    int maxFailed,
    int failed,
    Halt halt,
    String hold,
    List<String> waiting,
    List<Planner.Named> holders,
    List<Planner.Named> cannotStart,
    Canaries.Phase canary,
    int afterCanaries) {

  public boolean halted() {
    return halt != null;
  }

  /** Slots free after this round's grants. */
  public int freeAfterGrants() {
    return Math.max(0, maxUnavailable - unavailable - granted.size());
  }
}
