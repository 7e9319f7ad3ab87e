package dev.refit.operator.plan;

import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.PolicyReasons;
import dev.refit.operator.lifecycle.Lifecycle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which staged nodes may start their disruption now. Pure: the same fleet gives the same
 * plan, so a new operator leader plans exactly as the old one would have.
 *
 * <p>The rollout order (zone by zone, control plane last, the operator's node last) is the order in
 * which free slots go to the nodes that <em>can start now</em>: staged, Ready, not cordoned by
 * anyone, not refused by their hosts. A node that cannot start (still downloading or retrying,
 * failed, NotReady, cordoned by someone else) holds no slot it does not occupy, so a free slot is
 * never left empty while a node that could use it waits. A node of a later group therefore starts
 * only when no node of an earlier group can start now.
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
   * @param cordonedByRefit whether that cordon is Refit's
   * @param group its place in the rollout order: among nodes that can start, those of earlier
   *     groups get slots first (zone by zone, control plane last, the operator's node last)
   * @param soakUntil when the node, just updated, gives its slot back; null when not soaking
   */
  public record Candidate(
      String name,
      NodeState state,
      String reason,
      boolean ready,
      boolean unschedulable,
      boolean cordonedByRefit,
      String group,
      Instant soakUntil) {

    public Candidate(
        String name, NodeState state, String reason, boolean ready, boolean unschedulable) {
      this(name, state, reason, ready, unschedulable, false, "", null);
    }

    public Candidate(
        String name,
        NodeState state,
        String reason,
        boolean ready,
        boolean unschedulable,
        String group,
        Instant soakUntil) {
      this(name, state, reason, ready, unschedulable, false, group, soakUntil);
    }

    /** Unavailable for any reason: disrupted by Refit, soaking, NotReady, or cordoned by anyone. */
    boolean unavailable() {
      return refitHolds() || !ready || unschedulable;
    }

    /** Whether the slot is held by Refit's own rollout: in flight or soaking. */
    boolean refitHolds() {
      return state.occupiesSlot() || soakUntil != null;
    }

    /** Whether the node may start its disruption now, given a slot. */
    boolean canStart() {
      return state == NodeState.Staged
          && ready
          && !unschedulable
          && !NodeReasons.HOST_REFUSED.equals(reason);
    }

    /** Why the node is out of service, as a person reads it. */
    String whyUnavailable() {
      if (state.occupiesSlot()) {
        return state.name();
      }
      if (soakUntil != null) {
        return "soaking until " + soakUntil;
      }
      String failed = state == NodeState.Failed ? "failed (" + reason + "), " : "";
      if (!ready) {
        return failed + "NotReady";
      }
      return cordonedByRefit ? failed + "kept cordoned by Refit" : "cordoned by someone else";
    }

    /** Why a staged node cannot start now, as a person reads it. */
    String whyNotStarting() {
      if (NodeReasons.HOST_REFUSED.equals(reason)) {
        return REFUSED;
      }
      return !ready ? "NotReady" : "cordoned by someone else";
    }
  }

  /**
   * A node and why it is where it is.
   *
   * @param node node name
   * @param why for people: "Draining", "NotReady", "cordoned by someone else"
   * @param refit whether Refit's own rollout put it there
   */
  public record Named(String node, String why, boolean refit) {}

  /** Why a staged node whose host is not eligible cannot start. */
  public static final String REFUSED = "its host refuses updates";

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
    return plan(nodes, maxUnavailable, maxFailed, hold, null);
  }

  /**
   * The plan for one policy's managed nodes, with its canary phase: while the canaries update or
   * soak only they may start, and a failed canary halts the rollout whatever the failure budget.
   *
   * @param canary the canary phase, or null when the policy has no canaries
   */
  public static Plan plan(
      List<Candidate> nodes,
      int maxUnavailable,
      int maxFailed,
      String hold,
      Canaries.Phase canary) {
    List<Candidate> sorted = nodes.stream().sorted(ORDER).toList();
    List<Candidate> out = sorted.stream().filter(Candidate::unavailable).toList();
    List<Candidate> failed = sorted.stream().filter(n -> n.state() == NodeState.Failed).toList();
    Halt halt =
        canary != null && canary.halt() != null ? canary.halt() : haltReason(failed, maxFailed);

    Set<String> granted = new LinkedHashSet<>();
    List<String> waiting = new ArrayList<>();
    List<Named> cannotStart = new ArrayList<>();
    int afterCanaries = 0;
    int free = Math.max(0, maxUnavailable - out.size());
    for (Candidate node : sorted) {
      if (node.state() != NodeState.Staged) {
        continue;
      }
      if (!node.canStart()) {
        cannotStart.add(new Named(node.name(), node.whyNotStarting(), false));
      } else if (halt == null && canary != null && !canary.mayStart(node.name())) {
        afterCanaries++;
      } else if (halt == null && hold == null && granted.size() < free) {
        granted.add(node.name());
      } else {
        waiting.add(node.name());
      }
    }
    List<Named> holders = new ArrayList<>();
    out.stream()
        .filter(Candidate::refitHolds)
        .forEach(n -> holders.add(new Named(n.name(), n.whyUnavailable(), true)));
    out.stream()
        .filter(n -> !n.refitHolds())
        .forEach(n -> holders.add(new Named(n.name(), n.whyUnavailable(), false)));
    return new Plan(
        granted,
        maxUnavailable,
        out.size(),
        maxFailed,
        failed.size(),
        halt,
        hold,
        waiting,
        holders,
        cannotStart,
        canary,
        afterCanaries);
  }

  private static Halt haltReason(List<Candidate> failed, int maxFailed) {
    for (Candidate node : failed) {
      if (Lifecycle.halts(node.state(), node.reason())) {
        return haltedBy(node);
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

  /** The halt a node in a halting state causes, whatever the failure budget. */
  private static Halt haltedBy(Candidate node) {
    return switch (node.reason()) {
      case NodeReasons.GATE_TIMED_OUT ->
          new Halt(
              PolicyReasons.GATE_TIMED_OUT,
              "halted: a gate of "
                  + node.name()
                  + " was not set in time (spec.gates); delete its OSNode to retry it");
      case NodeReasons.UNSATISFIABLE_BUDGET ->
          new Halt(
              PolicyReasons.UNSATISFIABLE_BUDGET,
              "halted: "
                  + node.name()
                  + " was not cordoned, a PodDisruptionBudget on one of its pods can never allow"
                  + " an eviction (onTimeout: Halt); relax the budget or scale its workload, then"
                  + " delete its OSNode to retry it");
      default ->
          new Halt(
              PolicyReasons.DRAIN_TIMED_OUT,
              "halted: the drain of "
                  + node.name()
                  + " timed out (onTimeout: Halt); delete its OSNode to retry it");
    };
  }
}
