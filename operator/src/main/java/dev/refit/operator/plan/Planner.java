package dev.refit.operator.plan;

import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.PolicyReasons;
import dev.refit.operator.lifecycle.Lifecycle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which staged nodes may start their disruption now. Pure: the same fleet gives the same
 * plan, so a new operator leader plans exactly as the old one would have.
 */
public final class Planner {

  /**
   * One managed node as the planner sees it, after the steps it took without a slot.
   *
   * @param name node name
   * @param state its lifecycle state
   * @param reason the reason recorded with the state
   * @param ready whether the Node is Ready
   * @param unschedulable whether the Node is cordoned (by anyone) once this round is applied
   * @param group its place in the rollout order: nodes of a later group start only when every node
   *     of the earlier groups is done (zone by zone, control plane last, the operator's node last)
   * @param soaking whether the node was just updated and still holds its slot for the soak time
   */
  public record Candidate(
      String name,
      NodeState state,
      String reason,
      boolean ready,
      boolean unschedulable,
      String group,
      boolean soaking) {

    public Candidate(
        String name, NodeState state, String reason, boolean ready, boolean unschedulable) {
      this(name, state, reason, ready, unschedulable, "", false);
    }

    /** Unavailable for any reason: disrupted by Refit, NotReady, or cordoned by anyone. */
    boolean unavailable() {
      return state.occupiesSlot() || !ready || unschedulable || soaking;
    }

    /** Whether the node needs nothing more for the current target. */
    boolean done() {
      return (state == NodeState.UpToDate && !soaking)
          || state == NodeState.Failed
          || state == NodeState.Skipped;
    }
  }

  private static final Comparator<Candidate> ORDER =
      Comparator.comparing(Candidate::group, NodeOrder.NATURAL)
          .thenComparing(Candidate::name, NodeOrder.NATURAL);

  private Planner() {}

  /**
   * The plan for one policy's managed nodes.
   *
   * @param nodes every managed node
   * @param maxUnavailable resolved maxUnavailable
   * @param maxFailed resolved failure budget
   * @param hold a reason to start nothing now (paused, outside a window, a spec problem), or null
   */
  public static Plan plan(List<Candidate> nodes, int maxUnavailable, int maxFailed, String hold) {
    int unavailable = (int) nodes.stream().filter(Candidate::unavailable).count();
    List<Candidate> failed =
        nodes.stream().filter(n -> n.state() == NodeState.Failed).sorted(ORDER).toList();
    Halt halt = haltReason(failed, maxFailed);

    List<Candidate> staged =
        nodes.stream().filter(n -> n.state() == NodeState.Staged).sorted(ORDER).toList();
    String activeGroup =
        nodes.stream()
            .filter(n -> !n.done())
            .sorted(ORDER)
            .map(Candidate::group)
            .findFirst()
            .orElse(null);
    Set<String> granted = new LinkedHashSet<>();
    if (halt == null && hold == null) {
      int free = maxUnavailable - unavailable;
      for (Candidate node : staged) {
        if (granted.size() >= free) {
          break;
        }
        if (node.group().equals(activeGroup)
            && node.ready()
            && !node.unschedulable()
            && !NodeReasons.HOST_REFUSED.equals(node.reason())) {
          granted.add(node.name());
        }
      }
    }
    List<String> waiting = new ArrayList<>();
    staged.stream().map(Candidate::name).filter(n -> !granted.contains(n)).forEach(waiting::add);
    return new Plan(
        granted, maxUnavailable, unavailable, maxFailed, failed.size(), halt, hold, waiting);
  }

  private static Halt haltReason(List<Candidate> failed, int maxFailed) {
    for (Candidate node : failed) {
      if (Lifecycle.halts(node.state(), node.reason())) {
        return new Halt(
            PolicyReasons.DRAIN_TIMED_OUT,
            "halted: the drain of "
                + node.name()
                + " timed out (onTimeout: Halt); delete its OSNode to retry it");
      }
    }
    if (failed.size() >= maxFailed) {
      List<String> named = failed.stream().map(n -> n.name() + ": " + n.reason()).toList();
      String list =
          named.size() > 5
              ? String.join(", ", named.subList(0, 5)) + " and " + (named.size() - 5) + " more"
              : String.join(", ", named);
      return new Halt(
          PolicyReasons.FAILURE_BUDGET_EXHAUSTED,
          "halted: " + failed.size() + " of " + maxFailed + " allowed failures (" + list + ")");
    }
    return null;
  }
}
