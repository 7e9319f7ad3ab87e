package dev.refit.operator.act;

import dev.refit.api.Gates;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.operator.act.RolloutMetrics.Phase;
import dev.refit.operator.lifecycle.Decision;
import dev.refit.operator.plan.Blocker;
import dev.refit.operator.plan.Round;
import dev.refit.operator.status.NodeTransitions;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Makes one rollout round true in the cluster: writes each node's OSNode spec first (the intent,
 * from which any operator can continue), then makes the Node's cordon and drain match the state,
 * then tells people (Events) and Prometheus (metrics). Every action is idempotent, so repeating a
 * round after a crash or an API error converges on the same result.
 */
public class NodeDriver {

  private static final Logger LOG = Logger.getLogger(NodeDriver.class);

  /** Where the driver records what it wrote, so the informer caches read fresh. */
  public interface Written {
    void osNode(OSNode previous, OSNode written);

    void node(Node previous, Node written);
  }

  private final OSNodes osNodes;
  private final Cordons cordons;
  private final DrainManager drains;
  private final EventRecorder events;
  private final RolloutMetrics metrics;
  private final Fanout fanout = new Fanout(8);
  private final java.util.Map<String, String> reportedBlocks =
      new java.util.concurrent.ConcurrentHashMap<>();

  public NodeDriver(
      OSNodes osNodes,
      Cordons cordons,
      DrainManager drains,
      EventRecorder events,
      RolloutMetrics metrics) {
    this.osNodes = osNodes;
    this.cordons = cordons;
    this.drains = drains;
    this.events = events;
    this.metrics = metrics;
  }

  /**
   * Applies the round's decisions for the policy's managed nodes.
   *
   * @param moduleDigests the digest of each SELinux module's CIL the round's target was computed
   *     from, for the OSNodes' specs (null when there are none)
   * @param startsStillHold asked, once the round's cordons are lifted, before it takes a node out
   *     of service, and again before each such node's writes (from several threads): whether the
   *     view the round was planned from still holds (writes held back by the API may have taken
   *     long enough for the fleet to change)
   * @return whether the round was applied; false when {@code startsStillHold} said no: the lifted
   *     nodes and the starts begun before it said so were written, and the round must be planned
   *     again
   */
  public boolean apply(
      OSUpdatePolicy policy,
      Map<String, String> moduleDigests,
      List<Round.NodeResult> nodes,
      Written written,
      BooleanSupplier startsStillHold) {
    String name = policy.getMetadata().getName();
    Set<String> draining = new HashSet<>();
    Set<String> watched = new HashSet<>();
    boolean checksPods =
        policy.getSpec() != null && policy.getSpec().getHealthCheck().getPodSelector() != null;
    // Intent first: a node's OSNode records its new state before its Node is touched. Cordons are
    // lifted before new ones are set, so the fleet never has one node too many out of service, not
    // even for a moment; and both come before the OSNodes whose cordon stays as it is, so a new
    // cordon follows the view the round was planned from as closely as the API allows.
    List<Round.NodeResult> lifted = withCordon(nodes, Decision.CordonIntent.UNCORDONED);
    fanout.each(
        lifted,
        r -> {
          writeOsNode(policy, moduleDigests, r, written);
          cordon(policy, r.input().node(), r.last(), written);
        });
    List<Round.NodeResult> cordoned = withCordon(nodes, Decision.CordonIntent.CORDONED);
    if (cordoned.stream().anyMatch(NodeDriver::takesOutOfService)
        && !startsStillHold.getAsBoolean()) {
      lifted.forEach(r -> report(policy, r));
      return false;
    }
    // Each start asks again before its OSNode write and before its cordon: with many starts, or
    // slow writes, the last cordon may come seconds after the round was planned, and the fleet or
    // the spec may have changed by then. A start whose view no longer holds is not begun, or its
    // cordon is not set (the next round takes back an OSNode whose cordon never landed); either
    // way the round is planned again.
    Set<String> stopped = ConcurrentHashMap.newKeySet();
    fanout.each(
        cordoned,
        r -> {
          boolean start = takesOutOfService(r);
          if (start && !startsStillHold.getAsBoolean()) {
            stopped.add(r.name());
            return;
          }
          writeOsNode(policy, moduleDigests, r, written);
          if (start && !startsStillHold.getAsBoolean()) {
            stopped.add(r.name());
            return;
          }
          cordon(policy, r.input().node(), r.last(), written);
        });
    if (!stopped.isEmpty()) {
      lifted.forEach(r -> report(policy, r));
      cordoned.stream().filter(r -> !stopped.contains(r.name())).forEach(r -> report(policy, r));
      return false;
    }
    fanout.each(
        withCordon(nodes, Decision.CordonIntent.KEEP),
        r -> writeOsNode(policy, moduleDigests, r, written));
    for (Round.NodeResult result : nodes) {
      Decision last = result.last();
      if (last.drain()) {
        draining.add(result.name());
        watched.add(result.name());
        drains.ensure(name, result.name(), policy.getSpec().getDrain(), last.since());
        if (last.forceDrain()) {
          drains.force(result.name());
        }
      } else {
        reportedBlocks.remove(result.name());
      }
      if (checksPods
          && (last.state() == NodeState.Verifying
              || last.state() == NodeState.Applying
              || last.state() == NodeState.RollingBack)) {
        watched.add(result.name());
        drains.pods().watch(name, result.name());
      }
      report(policy, result);
    }
    drains.retain(name, draining, watched);
    return true;
  }

  /** Whether the decision cordons a node that is in service now: a disruption starts. */
  public static boolean takesOutOfService(Round.NodeResult result) {
    return result.last().cordon() == Decision.CordonIntent.CORDONED
        && result.input().node() != null
        && !Cordons.unschedulable(result.input().node());
  }

  private static List<Round.NodeResult> withCordon(
      List<Round.NodeResult> nodes, Decision.CordonIntent intent) {
    return nodes.stream().filter(r -> r.last().cordon() == intent).toList();
  }

  private void writeOsNode(
      OSUpdatePolicy policy,
      Map<String, String> moduleDigests,
      Round.NodeResult result,
      Written written) {
    if (!result.changed() && sameTarget(policy, moduleDigests, result.input().osNode())) {
      return;
    }
    OSNode existing = result.input().osNode();
    OSNodeSpec spec = OSNodes.spec(policy, moduleDigests, result);
    if (existing == null) {
      written.osNode(null, osNodes.create(result.input().node(), spec));
    } else {
      written.osNode(existing, osNodes.write(existing, spec));
    }
  }

  /** Whether the OSNode already carries what the policy wants it to run. */
  private static boolean sameTarget(
      OSUpdatePolicy policy, Map<String, String> moduleDigests, OSNode osNode) {
    return osNode != null
        && Objects.equals(osNode.getSpec().getOs(), policy.getSpec().getOs())
        && Objects.equals(osNode.getSpec().getSelinux(), policy.getSpec().getSelinux())
        && Objects.equals(osNode.getSpec().getModuleDigests(), moduleDigests)
        && Objects.equals(osNode.getSpec().getPolicy(), policy.getMetadata().getName());
  }

  private void cordon(OSUpdatePolicy policy, Node node, Decision last, Written written) {
    Node patched =
        switch (last.cordon()) {
          case CORDONED ->
              cordons.cordon(
                  node,
                  policy.getMetadata().getName(),
                  Boolean.TRUE.equals(policy.getSpec().getDrain().getExcludeFromLoadBalancers()),
                  gates(policy, false));
          case UNCORDONED -> cordons.uncordon(node, gates(policy, true));
          case KEEP -> null;
        };
    if (patched != null) {
      written.node(node, patched);
      if (Boolean.TRUE.equals(patched.getSpec().getUnschedulable())) {
        // one line per disruption started, with what it was decided under: a person (or a review
        // of an incident) can tell which spec and which of the node's versions it followed
        LOG.infof(
            "Cordoned %s for policy %s (spec generation %s; Node resourceVersion %s)",
            node.getMetadata().getName(),
            policy.getMetadata().getName(),
            policy.getMetadata().getGeneration(),
            patched.getMetadata().getResourceVersion());
        events.record(NodeTransitions.cordoned(node, policy));
      } else {
        NodeTransitions.uncordoned(node, policy, last).forEach(events::record);
      }
    }
  }

  /**
   * The policy's gate annotations Refit removes: when it cordons a node, the afterReboot ones (a
   * confirmation from before the update does not count); when it lifts its cordon, all of them (the
   * next update asks again).
   */
  private static List<String> gates(OSUpdatePolicy policy, boolean all) {
    Gates gates = policy.getSpec() == null ? null : policy.getSpec().getGates();
    if (gates == null) {
      return List.of();
    }
    List<String> keys = new ArrayList<>(gates.getAfterReboot());
    if (all) {
      keys.addAll(gates.getBeforeDrain());
    }
    return keys;
  }

  /** Events and metrics for every state change of the round. */
  private void report(OSUpdatePolicy policy, Round.NodeResult result) {
    String name = policy.getMetadata().getName();
    NodeTransitions transitions = NodeTransitions.of(policy, result);
    transitions.notices().forEach(events::record);
    transitions.phases().forEach(p -> phase(name, p.left(), p.duration()));
    transitions.outcomes().forEach(outcome -> metrics.outcome(name, outcome));
  }

  private void phase(String policy, NodeState left, Duration duration) {
    switch (left) {
      case Draining -> metrics.phase(policy, Phase.drain, duration);
      case Rebooting -> metrics.phase(policy, Phase.reboot, duration);
      case Verifying, Applying -> metrics.phase(policy, Phase.verify, duration);
      default -> {}
    }
  }

  /** Stops the writers. */
  public void close() {
    fanout.close();
  }

  /** Tells people about a drain block, once per new block. */
  public void blocked(Node node, Blocker blocker) {
    String key = blocker.pod() + "/" + blocker.reason() + "/" + blocker.detail();
    if (!key.equals(reportedBlocks.put(node.getMetadata().getName(), key))) {
      events.record(NodeTransitions.blocked(node, blocker));
    }
  }

  /** Gives a node a policy no longer manages back: lifts Refit's cordon, stops its drain. */
  public void release(String policy, OSNode osNode, Node node, Written written) {
    if (node != null) {
      Node patched = cordons.uncordon(node);
      if (patched != null) {
        written.node(node, patched);
        events.record(NodeTransitions.released(node, policy));
      }
    }
    osNodes.delete(osNode);
  }
}
