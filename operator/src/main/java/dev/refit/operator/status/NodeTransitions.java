package dev.refit.operator.status;

import dev.refit.api.EventReasons;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.operator.lifecycle.Decision;
import dev.refit.operator.lifecycle.Outcome;
import dev.refit.operator.plan.Blocker;
import dev.refit.operator.plan.Round;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one node's round means for people and Prometheus: the Events it records, the phases it left
 * (with how long each took) and the updates it ended. Pure, so the choice is table-tested; the act
 * layer records it.
 *
 * @param notices the Events, in order
 * @param phases the states the node left, each with the time it spent there
 * @param outcomes how updates ended in this round
 */
public record NodeTransitions(
    List<Notice> notices, List<PhaseTime> phases, List<Outcome> outcomes) {

  /** A state the node left and the time it spent in it. */
  public record PhaseTime(NodeState left, Duration duration) {}

  /** The transitions of the node's steps in this round. */
  public static NodeTransitions of(OSUpdatePolicy policy, Round.NodeResult result) {
    List<Notice> notices = new ArrayList<>();
    List<PhaseTime> phases = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    Node node = result.input().node();
    String target = policy.getSpec().getOs().display();
    NodeState previous = result.facts().state();
    Instant previousSince = result.facts().since();
    List<Decision> steps = result.steps();
    for (int i = 0; i < steps.size(); i++) {
      Decision step = steps.get(i);
      if (step.state() != previous) {
        phases.add(new PhaseTime(previous, Duration.between(previousSince, step.since())));
        // A drain that ends in the same round as the node is told to apply is one Event, not two
        String drained = i > 0 && steps.get(i - 1).state() == NodeState.Drained ? "drained; " : "";
        switch (step.state()) {
          case Drained -> {
            if (!handedOverNext(steps, i)) {
              notices.add(
                  Notice.normal(node, EventReasons.DRAINED, "all pods that must leave are gone"));
            }
          }
          case Rebooting ->
              notices.add(
                  Notice.normal(
                      node,
                      EventReasons.REBOOTING,
                      drained + "told to apply " + target + " and reboot"));
          case Applying ->
              notices.add(
                  Notice.normal(
                      node, EventReasons.APPLYING, drained + "told to apply " + target + " live"));
          case UpToDate -> {
            if (step.outcome() != null) {
              notices.add(
                  Notice.normal(node, EventReasons.UPDATED, "now runs " + target + "; uncordoned"));
            }
          }
          case Failed, Skipped -> warnings(notices, policy, result, step);
          case Staged -> {
            // a drifted host is staged again: a person hears what changed on it
            if (NodeReasons.SELINUX_DRIFT.equals(step.reason())) {
              warnings(notices, policy, result, step);
            }
          }
          default -> {}
        }
        previous = step.state();
        previousSince = step.since();
      }
      String reasonBefore = i == 0 ? result.facts().reason() : steps.get(i - 1).reason();
      if (NodeReasons.WAITING_FOR_GATE.equals(step.reason())
          && !NodeReasons.WAITING_FOR_GATE.equals(reasonBefore)) {
        notices.add(Notice.normal(node, EventReasons.WAITING_FOR_GATE, step.message()));
      }
      if (step.outcome() != null) {
        outcomes.add(step.outcome());
      }
    }
    return new NodeTransitions(notices, phases, outcomes);
  }

  /** A Warning on the node and one on the policy, naming the node. */
  private static void warnings(
      List<Notice> notices, OSUpdatePolicy policy, Round.NodeResult result, Decision step) {
    notices.add(Notice.warning(result.input().node(), step.reason(), step.message()));
    notices.add(Notice.warning(policy, step.reason(), result.name() + ": " + step.message()));
  }

  /** The Event of a node Refit just cordoned for the policy's update. */
  public static Notice cordoned(Node node, OSUpdatePolicy policy) {
    return Notice.normal(
        node,
        EventReasons.CORDONED,
        "cordoned by policy "
            + policy.getMetadata().getName()
            + " to update to "
            + policy.getSpec().getOs().display()
            + "; evicting pods");
  }

  /**
   * The Event of a node whose Refit cordon was just lifted, or none: an update that succeeded says
   * so in its Updated Event.
   */
  public static List<Notice> uncordoned(Node node, OSUpdatePolicy policy, Decision last) {
    return last.outcome() == Outcome.UPDATED
        ? List.of()
        : List.of(
            Notice.normal(
                node,
                EventReasons.UNCORDONED,
                "uncordoned by policy " + policy.getMetadata().getName()));
  }

  /** The Event of a node a policy no longer manages and gave back. */
  public static Notice released(Node node, String policy) {
    return Notice.normal(node, EventReasons.UNCORDONED, "released by policy " + policy);
  }

  /** The Event of a node whose drain is blocked. */
  public static Notice blocked(Node node, Blocker blocker) {
    return Notice.warning(
        node, EventReasons.DRAIN_BLOCKED, "drain blocked by " + blocker.describe());
  }

  private static boolean handedOverNext(List<Decision> steps, int index) {
    if (index + 1 >= steps.size()) {
      return false;
    }
    NodeState next = steps.get(index + 1).state();
    return next == NodeState.Rebooting || next == NodeState.Applying;
  }
}
