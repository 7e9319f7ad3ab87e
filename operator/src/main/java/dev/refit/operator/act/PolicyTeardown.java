package dev.refit.operator.act;

import dev.refit.api.EventReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.operator.lifecycle.Decision;
import dev.refit.operator.plan.Round;
import dev.refit.operator.plan.Teardown;
import dev.refit.operator.status.NodeTransitions;
import dev.refit.operator.status.Notice;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes one step of a policy's deletion true: stops its drains, records how the nodes it waits for
 * moved on (never cordoning anything), lifts this policy's cordons of every node it no longer waits
 * for, and deletes those nodes' OSNodes, so their agents go idle. Idempotent like every round.
 */
public final class PolicyTeardown {

  private final OSNodes osNodes;
  private final Cordons cordons;
  private final DrainManager drains;
  private final EventRecorder events;

  public PolicyTeardown(
      OSNodes osNodes, Cordons cordons, DrainManager drains, EventRecorder events) {
    this.osNodes = osNodes;
    this.cordons = cordons;
    this.drains = drains;
    this.events = events;
  }

  /**
   * Applies the deletion step; {@code orphans} are the policy's OSNodes whose Node is gone.
   *
   * @return the names of the OSNodes deleted
   */
  public List<String> apply(
      OSUpdatePolicy policy,
      Teardown.Result plan,
      List<OSNode> orphans,
      NodeDriver.Written written) {
    String name = policy.getMetadata().getName();
    Set<String> watched = new HashSet<>();
    boolean checksPods = policy.getSpec().getHealthCheck().getPodSelector() != null;
    for (Teardown.Waiting waiting : plan.waiting()) {
      NodeState state = waiting.result().last().state();
      if (checksPods && (state == NodeState.Verifying || state == NodeState.Applying)) {
        watched.add(waiting.name());
        drains.pods().watch(name, waiting.name());
      }
    }
    // Drains first, so no eviction runs for a node whose cordon is about to go.
    drains.retain(name, Set.of(), watched);
    for (Teardown.Waiting waiting : plan.waiting()) {
      record(policy, waiting.result(), written);
    }
    List<String> deleted = new ArrayList<>();
    for (Round.NodeInput input : plan.revoked()) {
      lift(name, input.node(), written);
      osNodes.delete(input.osNode());
      deleted.add(input.name());
    }
    for (Node node : plan.strayCordons()) {
      lift(name, node, written);
    }
    for (OSNode orphan : orphans) {
      osNodes.delete(orphan);
      deleted.add(orphan.getMetadata().getName());
    }
    return deleted;
  }

  /** Writes how a waited-for node moved on, keeping the rest of its work order as it is. */
  private void record(OSUpdatePolicy policy, Round.NodeResult result, NodeDriver.Written written) {
    OSNode existing = result.input().osNode();
    if (!result.changed() || existing == null) {
      return;
    }
    Decision last = result.last();
    OSNodeSpec spec = Serialization.jsonMapper().convertValue(existing.getSpec(), OSNodeSpec.class);
    spec.setAction(last.action());
    spec.setActionId(last.actionId());
    spec.setState(last.state());
    spec.setStateSince(last.since().truncatedTo(ChronoUnit.MILLIS).toString());
    spec.setReason(last.reason());
    spec.setMessage(last.message() == null ? existing.getSpec().getMessage() : last.message());
    spec.setAttempts(last.attempts() == 0 ? null : last.attempts());
    written.osNode(existing, osNodes.write(existing, spec));
    NodeTransitions.of(policy, result).notices().forEach(events::record);
  }

  private void lift(String policy, Node node, NodeDriver.Written written) {
    if (node == null || !Teardown.cordonedBy(policy, node)) {
      return;
    }
    Node patched = cordons.uncordon(node);
    if (patched != null) {
      written.node(node, patched);
      events.record(
          Notice.normal(
              node,
              EventReasons.UNCORDONED,
              "policy " + policy + " is being deleted: Refit's cordon lifted, its OSNode deleted"));
    }
  }
}
