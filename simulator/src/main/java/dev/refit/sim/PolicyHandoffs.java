package dev.refit.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Handoffs of one policy, counted from its nodes' transitions in a report: how long a disruption
 * slot of the policy stayed free while one of its nodes waited, staged, to use it.
 *
 * <p>At every moment the policy has {@code min(limit - nodes in a slot, nodes staged)} chances to
 * start a node. Each chance is stamped when it appears (a slot freed while a node waits, or a node
 * staged while a slot is free); a node entering a slot takes the oldest chance, and the time since
 * its stamp is one handoff. Chances that go without a start (a waiting node left {@code Staged}
 * some other way) are dropped. Counting per policy keeps one policy's full slots from being read as
 * another's slow handoff, which a fleet-wide pairing of "a slot freed" with "the next cordon"
 * cannot tell apart.
 *
 * <p>The rollout order (zone by zone, control plane last) only decides which waiting node gets a
 * free slot, never leaves one empty (see the operator's {@code Planner}), so any staged node counts
 * as waiting.
 *
 * <p>A start before any node of the policy finished its update belongs to the first wave: slots
 * never used yet, filled while the whole fleet stages and reports at once. Its figures are kept
 * apart from the handoffs proper, a slot given back and taken again.
 */
final class PolicyHandoffs {

  /** The states in which a node holds one of its policy's disruption slots. */
  static final Set<String> IN_A_SLOT =
      Set.of(
          "Cordoned", "Draining", "Drained", "Rebooting", "Applying", "Verifying", "RollingBack");

  static final String WAITING = "Staged";

  static final String FINISHED = "UpToDate";

  /** One handoff: how long the chance waited, and whether it was a start of the first wave. */
  record Handoff(double millis, boolean firstWave) {}

  private PolicyHandoffs() {}

  /** The handoffs of the policy that manages {@code nodes} with this limit. */
  static List<Handoff> of(List<Report.NodeReport> nodes, int limit) {
    record Step(double at, String node, String state) {}
    List<Step> steps = new ArrayList<>();
    for (Report.NodeReport node : nodes) {
      node.transitions().forEach(t -> steps.add(new Step(t.atSeconds(), node.name(), t.state())));
    }
    steps.sort(Comparator.comparingDouble(Step::at));

    Map<String, String> state = new HashMap<>();
    Deque<Double> chances = new ArrayDeque<>();
    List<Handoff> handoffs = new ArrayList<>();
    boolean oneFinished = false;
    int inSlot = 0;
    int waiting = 0;
    for (Step step : steps) {
      String before = state.put(step.node(), step.state());
      oneFinished |= FINISHED.equals(step.state());
      inSlot += delta(before, step.state(), IN_A_SLOT::contains);
      waiting += delta(before, step.state(), WAITING::equals);
      int now = Math.min(Math.max(0, limit - inSlot), waiting);
      boolean started =
          (before == null || !IN_A_SLOT.contains(before)) && IN_A_SLOT.contains(step.state());
      while (chances.size() < now) {
        chances.addLast(step.at());
      }
      boolean taken = false;
      while (chances.size() > now) {
        double stamped = chances.removeFirst();
        if (started && !taken) {
          handoffs.add(new Handoff((step.at() - stamped) * 1000, !oneFinished));
          taken = true;
        }
      }
    }
    return handoffs;
  }

  /** +1 when a node enters the set, -1 when it leaves it, else 0. */
  private static int delta(
      String before, String after, java.util.function.Predicate<String> member) {
    boolean was = before != null && member.test(before);
    boolean is = member.test(after);
    return was == is ? 0 : is ? 1 : -1;
  }
}
