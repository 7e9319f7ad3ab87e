package dev.refit.operator.rollout;

import dev.refit.api.NodeState;
import dev.refit.api.lifecycle.Lifecycle;
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
   * @param unschedulable whether the Node is cordoned (by anyone)
   */
  public record Candidate(
      String name, NodeState state, String reason, boolean ready, boolean unschedulable) {

    /** Unavailable for any reason: disrupted by Refit, NotReady, or cordoned by anyone. */
    boolean unavailable() {
      return state.occupiesSlot() || !ready || unschedulable;
    }
  }

  private Planner() {}

  /**
   * The plan for one policy's managed nodes.
   *
   * @param nodes every managed node
   * @param maxUnavailable resolved maxUnavailable
   * @param maxFailed resolved failure budget
   * @param hold a reason to start nothing now (paused, a spec problem), or null
   */
  public static Plan plan(List<Candidate> nodes, int maxUnavailable, int maxFailed, String hold) {
    int unavailable = (int) nodes.stream().filter(Candidate::unavailable).count();
    List<Candidate> failed = nodes.stream().filter(n -> n.state() == NodeState.Failed).toList();
    String halt = haltReason(failed, maxFailed);

    List<String> waiting =
        nodes.stream()
            .filter(n -> n.state() == NodeState.Staged)
            .sorted(Comparator.comparing(Candidate::name, NodeOrder.NATURAL))
            .map(Candidate::name)
            .toList();
    Set<String> granted = new LinkedHashSet<>();
    if (halt == null && hold == null) {
      int free = maxUnavailable - unavailable;
      for (Candidate node : sortedStaged(nodes)) {
        if (granted.size() >= free) {
          break;
        }
        if (node.ready() && !node.unschedulable()) {
          granted.add(node.name());
        }
      }
    }
    List<String> stillWaiting = new ArrayList<>(waiting);
    stillWaiting.removeAll(granted);
    return new Plan(
        granted, maxUnavailable, unavailable, maxFailed, failed.size(), halt, hold, stillWaiting);
  }

  private static List<Candidate> sortedStaged(List<Candidate> nodes) {
    return nodes.stream()
        .filter(n -> n.state() == NodeState.Staged)
        .sorted(Comparator.comparing(Candidate::name, NodeOrder.NATURAL))
        .toList();
  }

  private static String haltReason(List<Candidate> failed, int maxFailed) {
    for (Candidate node : failed) {
      if (Lifecycle.halts(node.state(), node.reason())) {
        return "halted: the drain of "
            + node.name()
            + " timed out (onTimeout: Halt); delete its OSNode to retry it";
      }
    }
    if (failed.size() >= maxFailed) {
      return "halted: "
          + failed.size()
          + " of "
          + maxFailed
          + " allowed failures ("
          + String.join(", ", failed.stream().map(n -> n.name() + ": " + n.reason()).toList())
          + ")";
    }
    return null;
  }
}
