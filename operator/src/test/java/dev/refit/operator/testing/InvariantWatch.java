package dev.refit.operator.testing;

import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.testing.invariants.Invariants;
import dev.refit.testing.invariants.NoForeignUncordon;
import dev.refit.testing.invariants.NodeReadings;
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
 * The operator tests' watch of the Nodes: it judges the test kit's invariants (a cordon a person
 * set is never lifted) from what it sees, not from what the operator says, and measures how many
 * nodes were unavailable at once, how many times each node was cordoned by Refit, in which order,
 * and how many times each booted.
 */
public final class InvariantWatch implements AutoCloseable {

  private final KubernetesClient client;
  private final SharedIndexInformer<Node> informer;
  private final NoForeignUncordon foreignCordons = NoForeignUncordon.ofDeclaredCordons();
  private final Invariants invariants = new Invariants(List.of(foreignCordons));
  private final Map<String, Integer> refitCordons = new ConcurrentHashMap<>();
  private final Map<String, Integer> reboots = new ConcurrentHashMap<>();
  private final List<String> cordonOrder = new ArrayList<>();
  private int maxUnavailable;

  public InvariantWatch(EmbeddedKubernetes api) {
    client = api.newClient();
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

  /** The invariants broken so far, as sentences. */
  public List<String> violations() {
    return invariants.violations().stream().map(Violation::toString).toList();
  }

  @Override
  public void close() {
    informer.close();
    client.close();
  }
}
