package dev.refit.operator.status;

import dev.refit.api.NodeCounts;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.PolicyReasons;
import dev.refit.operator.lifecycle.Decision;
import dev.refit.operator.lifecycle.Lifecycle;
import dev.refit.operator.plan.Blocker;
import dev.refit.operator.plan.Canaries;
import dev.refit.operator.plan.Plan;
import dev.refit.operator.plan.Planner;
import dev.refit.operator.plan.Round;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a rollout waits for, in one line a person can act on, naming nodes: the nodes in flight,
 * those holding the slots for other reasons, a blocked drain, a download being retried, the
 * schedule, a halt. Pure: the round, the drain blockers and the time in, the Progressing
 * condition's reason and the line out.
 */
public final class Waits {
  private Waits() {}

  /**
   * What the rollout waits for.
   *
   * @param progressing the Progressing condition's status: true while the rollout goes on by itself
   * @param reason the Progressing condition's reason ({@link PolicyReasons})
   * @param line what it waits for, naming nodes; null when it waits for nothing (complete)
   */
  public record Wait(boolean progressing, String reason, String line) {}

  /** What an in-flight node is doing: its state, and the gates it waits for, if any. */
  private static String inFlight(Round.NodeResult node) {
    Decision last = node.last();
    if (!NodeReasons.WAITING_FOR_GATE.equals(last.reason())) {
      return last.state().name();
    }
    List<String> gates =
        last.state() == NodeState.Cordoned
            ? node.facts().gates().beforeDrain()
            : node.facts().gates().afterReboot();
    return last.state() + ", waiting for " + String.join(", ", gates);
  }

  /** The wait of a round with the given counts. */
  public static Wait of(
      Round.Result round,
      NodeCounts counts,
      boolean noNodes,
      Map<String, Blocker> blockers,
      Instant now) {
    Plan plan = round.plan();
    List<Round.NodeResult> nodes = round.nodes();
    List<String> inFlight = new ArrayList<>();
    for (Round.NodeResult node : nodes) {
      if (node.last().state().occupiesSlot()) {
        inFlight.add(node.name() + " (" + inFlight(node) + ")");
      }
    }
    if (noNodes) {
      return new Wait(false, PolicyReasons.NO_MATCHING_NODES, "a node the nodeSelector matches");
    }
    if (plan.halted()) {
      // no node starts; those already out of service still finish (each phase has its timeout)
      return new Wait(
          false,
          PolicyReasons.HALTED,
          "a person: "
              + plan.halt().message()
              + (inFlight.isEmpty()
                  ? ""
                  : "; no other node starts, still finishing: "
                      + PolicyStatusComposer.abbreviate(inFlight)));
    }
    if (counts.getUpdated() + counts.getSkipped() + counts.getFailed() == counts.getTotal()) {
      return new Wait(false, PolicyReasons.COMPLETE, null);
    }
    if (!blockers.isEmpty()) {
      return new Wait(true, PolicyReasons.DRAIN_BLOCKED, blocked(blockers, now));
    }
    if (round.heldByQuery() && inFlight.isEmpty()) {
      return new Wait(
          !round.settings().healthQuery().unhealthy(), PolicyReasons.HEALTH_QUERY, plan.hold());
    }
    if (round.waitsForApi() && inFlight.isEmpty()) {
      // not a hold a person set: the operator asks the API server again by itself
      return new Wait(true, PolicyReasons.WAITING_FOR_API_SERVER, plan.hold());
    }
    if (plan.hold() != null && inFlight.isEmpty()) {
      return new Wait(false, PolicyReasons.HELD, plan.hold());
    }
    List<String> parts = new ArrayList<>();
    String reason;
    Canaries.Phase canary = plan.canary();
    boolean canaryFirst = canary != null && canary.active();
    if (canaryFirst) {
      parts.add(CanaryReport.line(canary, CanaryReport.othersLeft(round)));
    }
    if (canaryFirst && inFlight.isEmpty() && plan.waiting().isEmpty()) {
      reason = PolicyReasons.CANARY;
      if (!staging(nodes).isEmpty()) {
        parts.add(staging(nodes, now));
      }
    } else if (!inFlight.isEmpty()) {
      reason = PolicyReasons.ROLLING_OUT;
      parts.add("updating " + PolicyStatusComposer.abbreviate(inFlight));
      if (plan.hold() != null) {
        parts.add("no other node starts: " + plan.hold());
      } else if (!plan.waiting().isEmpty()) {
        parts.add(waitingForSlots(plan));
      }
    } else if (!plan.waiting().isEmpty()) {
      reason = PolicyReasons.WAITING_FOR_SLOTS;
      parts.add(waitingForSlots(plan));
    } else if (staging(nodes).isEmpty()
        && plan.cannotStart().stream().allMatch(Waits::refused)
        && !PolicyStatusComposer.refused(nodes).isEmpty()) {
      return new Wait(
          false,
          PolicyReasons.HOSTS_REFUSED,
          PolicyStatusComposer.refusedMessage(PolicyStatusComposer.refused(nodes)));
    } else if (staging(nodes).isEmpty() && !plan.cannotStart().isEmpty()) {
      reason = PolicyReasons.WAITING_FOR_NODES;
    } else {
      reason = PolicyReasons.STAGING;
      parts.add(staging(nodes, now));
    }
    if (canaryFirst) {
      reason = PolicyReasons.CANARY;
    }
    if (!plan.cannotStart().isEmpty()) {
      parts.add(cannotStart(plan.cannotStart()));
    }
    if (plan.failed() > 0) {
      parts.add(
          "failure budget: "
              + plan.failed()
              + " of "
              + plan.maxFailed()
              + " allowed failure"
              + (plan.maxFailed() == 1 ? "" : "s")
              + " spent");
    }
    return new Wait(true, reason, String.join("; ", parts));
  }

  private static String blocked(Map<String, Blocker> blockers, Instant now) {
    Map.Entry<String, Blocker> first =
        blockers.entrySet().stream()
            .min(Map.Entry.comparingByValue((a, b) -> a.since().compareTo(b.since())))
            .orElseThrow();
    String line =
        "drain of "
            + first.getKey()
            + " blocked by "
            + first.getValue().describe()
            + " for "
            + PolicyStatusComposer.human(java.time.Duration.between(first.getValue().since(), now));
    int others = blockers.size() - 1;
    return others == 0
        ? line
        : line + " (and " + others + " more blocked drain" + (others == 1 ? "" : "s") + ")";
  }

  /**
   * "4 staged nodes wait for a slot (next: a-4): 3 of 3 held by a-1 (Draining), w-11 (...)"; the
   * nodes this round starts hold their slots too.
   */
  private static String waitingForSlots(Plan plan) {
    List<String> holders = new ArrayList<>();
    plan.holders().forEach(h -> holders.add(h.node() + " (" + h.why() + ")"));
    plan.granted().stream().sorted().forEach(node -> holders.add(node + " (starting)"));
    int waiting = plan.waiting().size();
    String line =
        waiting
            + " staged node"
            + (waiting == 1 ? " waits" : "s wait")
            + " for a slot (next: "
            + plan.waiting().get(0)
            + "): "
            + (plan.unavailable() + plan.granted().size())
            + " of "
            + plan.maxUnavailable()
            + " held";
    return holders.isEmpty() ? line : line + " by " + PolicyStatusComposer.abbreviate(holders);
  }

  private static boolean refused(Planner.Named node) {
    return node.why().equals(Planner.REFUSED);
  }

  private static String cannotStart(List<Planner.Named> nodes) {
    List<String> named = nodes.stream().map(n -> n.node() + " (" + n.why() + ")").toList();
    return "staged but cannot start: " + PolicyStatusComposer.abbreviate(named);
  }

  private static List<Round.NodeResult> staging(List<Round.NodeResult> nodes) {
    return nodes.stream()
        .filter(n -> n.last().state() == NodeState.Pending || n.last().state() == NodeState.Staging)
        .filter(n -> !NodeReasons.HOST_REFUSED.equals(n.last().reason()))
        .toList();
  }

  /** "5 nodes staging the update; a-3 retries its download (attempt 2 of 3) at 05:12:30Z". */
  private static String staging(List<Round.NodeResult> nodes, Instant now) {
    List<Round.NodeResult> staging = staging(nodes);
    List<String> retrying = new ArrayList<>();
    for (Round.NodeResult node : staging) {
      Decision last = node.last();
      if (last.state() == NodeState.Pending && NodeReasons.STAGE_RETRY.equals(last.reason())) {
        Instant next = last.since().plus(Lifecycle.stageBackoff(last.attempts()));
        retrying.add(
            node.name()
                + " retries its download (attempt "
                + (last.attempts() + 1)
                + " of "
                + Lifecycle.MAX_STAGE_ATTEMPTS
                + ") "
                + (next.isAfter(now) ? "at " + next.truncatedTo(ChronoUnit.SECONDS) : "now"));
      }
    }
    int downloading = staging.size() - retrying.size();
    List<String> parts = new ArrayList<>();
    if (downloading > 0) {
      parts.add(downloading + " node" + (downloading == 1 ? "" : "s") + " staging the update");
    }
    if (!retrying.isEmpty()) {
      parts.add(PolicyStatusComposer.abbreviate(retrying));
    }
    return parts.isEmpty() ? "nodes to finish staging" : String.join("; ", parts);
  }
}
