package dev.refit.operator.testing;

import dev.refit.api.RefitApi;
import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the safety invariants from what it sees of the Nodes, not from what the operator says: how
 * many nodes were unavailable at once, how many times each node was cordoned by Refit, and whether
 * Refit ever lifted a cordon it did not set.
 */
public final class InvariantWatch implements AutoCloseable {

  private final KubernetesClient client;
  private final SharedIndexInformer<Node> informer;
  private final Map<String, Node> latest = new ConcurrentHashMap<>();
  private final Map<String, Integer> refitCordons = new ConcurrentHashMap<>();
  private final Set<String> foreignCordons = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> reboots = new ConcurrentHashMap<>();
  private final List<String> cordonOrder = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
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
                    latest.remove(node.getMetadata().getName());
                  }
                },
                0);
  }

  /** A cordon the test itself set (as a person would); Refit must never lift it. */
  public synchronized void cordonedByPerson(String node) {
    foreignCordons.add(node);
  }

  /** The test lifts its own cordon; from now on the node is fair game again. */
  public synchronized void uncordonedByPerson(String node) {
    foreignCordons.remove(node);
  }

  private synchronized void seen(Node older, Node newer) {
    String name = newer.getMetadata().getName();
    latest.put(name, newer);
    boolean wasRefit = older != null && refitCordoned(older);
    if (older != null && !java.util.Objects.equals(bootId(older), bootId(newer))) {
      reboots.merge(name, 1, Integer::sum);
    }
    if (refitCordoned(newer) && !wasRefit) {
      refitCordons.merge(name, 1, Integer::sum);
      cordonOrder.add(name);
    }
    if (foreignCordons.contains(name) && !unschedulable(newer)) {
      violations.add("the cordon a person set on " + name + " was lifted");
    }
    int unavailable =
        (int) latest.values().stream().filter(n -> unschedulable(n) || !ready(n)).count();
    maxUnavailable = Math.max(maxUnavailable, unavailable);
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

  private static String bootId(Node node) {
    return node.getStatus() == null || node.getStatus().getNodeInfo() == null
        ? null
        : node.getStatus().getNodeInfo().getBootID();
  }

  /** Nodes that carry Refit's cordon now. */
  public synchronized List<String> cordonedByRefitNow() {
    return latest.values().stream()
        .filter(InvariantWatch::refitCordoned)
        .map(n -> n.getMetadata().getName())
        .sorted()
        .toList();
  }

  public synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  static boolean refitCordoned(Node node) {
    Map<String, String> annotations = node.getMetadata().getAnnotations();
    return unschedulable(node)
        && annotations != null
        && annotations.containsKey(RefitApi.CORDONED_ANNOTATION);
  }

  static boolean unschedulable(Node node) {
    return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
  }

  static boolean ready(Node node) {
    return node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void close() {
    informer.close();
    client.close();
  }
}
