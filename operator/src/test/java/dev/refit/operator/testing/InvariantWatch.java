package dev.refit.operator.testing;

import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.testing.invariants.Invariants;
import dev.refit.testing.invariants.MaxUnavailable;
import dev.refit.testing.invariants.NoForeignUncordon;
import dev.refit.testing.invariants.NodeReadings;
import dev.refit.testing.invariants.RebootOncePerTarget;
import dev.refit.testing.invariants.SpecNeverWritten;
import dev.refit.testing.invariants.Violation;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator tests' watch of the Nodes, OSNodes and policies: it judges the test kit's invariants
 * (a person's cordon is never lifted; never more of a policy's nodes out of service than its
 * maxUnavailable when Refit starts a disruption; a node boots at most once per target, and only
 * under Refit's cordon; the operator never writes a policy's spec) from what it sees, not from what
 * the operator says, and measures how many nodes were unavailable at once, how many times each node
 * was cordoned by Refit, in which order, and how many times each booted.
 */
public final class InvariantWatch implements AutoCloseable {

  private final KubernetesClient client;
  private final SharedIndexInformer<Node> informer;
  private final NoForeignUncordon foreignCordons = NoForeignUncordon.ofDeclaredCordons();
  private final Invariants invariants;
  private final SharedIndexInformer<OSUpdatePolicy> policies;
  private final SharedIndexInformer<OSNode> osNodes;
  private final Map<String, Integer> refitCordons = new ConcurrentHashMap<>();
  private final Map<String, Integer> reboots = new ConcurrentHashMap<>();
  private final List<String> cordonOrder = new ArrayList<>();
  private int maxUnavailable;

  public InvariantWatch(EmbeddedKubernetes api) {
    invariants =
        new Invariants(
            List.of(
                foreignCordons,
                new MaxUnavailable(),
                RebootOncePerTarget.ofBoots(),
                new SpecNeverWritten("refit-operator", () -> api.requests().calls())),
            api.serverTimes());
    client = api.newClient();
    // policies and OSNodes first: a Node's change is judged against them
    policies =
        client
            .resources(OSUpdatePolicy.class)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(OSUpdatePolicy policy) {
                    invariants.policy(policy);
                  }

                  @Override
                  public void onUpdate(OSUpdatePolicy older, OSUpdatePolicy newer) {
                    invariants.policy(newer);
                  }

                  @Override
                  public void onDelete(OSUpdatePolicy policy, boolean unknown) {
                    invariants.policyDeleted(policy.getMetadata().getName());
                  }
                },
                0);
    osNodes =
        client
            .resources(OSNode.class)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(OSNode osNode) {
                    invariants.osNode(osNode);
                  }

                  @Override
                  public void onUpdate(OSNode older, OSNode newer) {
                    invariants.osNode(newer);
                  }

                  @Override
                  public void onDelete(OSNode osNode, boolean unknown) {
                    invariants.osNodeDeleted(osNode.getMetadata().getName());
                  }
                },
                0);
    informer =
        client
            .nodes()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Node node) {
                    seen(null, node);
                  }

                  @Override
                  public void onUpdate(Node older, Node newer) {
                    seen(older, newer);
                  }

                  @Override
                  public void onDelete(Node node, boolean unknown) {
                    invariants.nodeDeleted(node.getMetadata().getName());
                  }
                },
                0);
  }

  /** A cordon the test itself set (as a person would); Refit must never lift it. */
  public void cordonedByPerson(String node) {
    foreignCordons.cordonedByPerson(node);
  }

  /** The test lifts its own cordon; from now on the node is fair game again. */
  public void uncordonedByPerson(String node) {
    foreignCordons.uncordonedByPerson(node);
  }

  private synchronized void seen(Node older, Node newer) {
    String name = newer.getMetadata().getName();
    if (older != null && !Objects.equals(NodeReadings.bootId(older), NodeReadings.bootId(newer))) {
      reboots.merge(name, 1, Integer::sum);
    }
    if (NodeReadings.refitCordoned(newer)
        && !(older != null && NodeReadings.refitCordoned(older))) {
      refitCordons.merge(name, 1, Integer::sum);
      cordonOrder.add(name);
    }
    invariants.node(newer);
    maxUnavailable =
        Math.max(maxUnavailable, invariants.read(fleet -> fleet.outOfService(n -> true)));
  }

  /** Most nodes seen unavailable (cordoned or not Ready) at the same time. */
  public synchronized int maxUnavailable() {
    return maxUnavailable;
  }

  /** How many times Refit cordoned each node. */
  public synchronized Map<String, Integer> refitCordons() {
    return Map.copyOf(refitCordons);
  }

  /** The nodes in the order Refit cordoned them. */
  public synchronized List<String> cordonOrder() {
    return List.copyOf(cordonOrder);
  }

  /** How many times each node booted anew (its boot ID changed). */
  public synchronized Map<String, Integer> reboots() {
    return Map.copyOf(reboots);
  }

  /** Nodes that carry Refit's cordon now. */
  public List<String> cordonedByRefitNow() {
    return invariants.read(fleet -> fleet.refitCordoned());
  }

  /**
   * The invariants broken so far, as sentences: what the watch saw break, and what the API's
   * records show now (a write of a policy's spec by the operator).
   */
  public List<String> violations() {
    List<Violation> all = new ArrayList<>(invariants.violations());
    all.addAll(invariants.atEnd());
    return all.stream().map(Violation::toString).distinct().toList();
  }

  @Override
  public void close() {
    informer.close();
    osNodes.close();
    policies.close();
    client.close();
  }
}
