package dev.refit.system.agents;

import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches the Nodes as a person with kubectl would: how many were unavailable (cordoned or not
 * Ready) at the same moment, and how many times each one came back from a boot.
 */
public final class NodeWatch implements AutoCloseable {

  private final KubernetesClient client;
  private final SharedIndexInformer<Node> informer;
  private final Map<String, Node> latest = new ConcurrentHashMap<>();
  private final Map<String, Integer> boots = new ConcurrentHashMap<>();
  private int maxUnavailable;

  public NodeWatch(EmbeddedKubernetes api) {
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

  private synchronized void seen(Node older, Node newer) {
    String name = newer.getMetadata().getName();
    latest.put(name, newer);
    if (older != null && !bootId(older).equals(bootId(newer))) {
      boots.merge(name, 1, Integer::sum);
    }
    int unavailable = (int) latest.values().stream().filter(NodeWatch::unavailable).count();
    maxUnavailable = Math.max(maxUnavailable, unavailable);
  }

  /** Most nodes seen unavailable at the same time. */
  public synchronized int maxUnavailable() {
    return maxUnavailable;
  }

  /** New boot IDs seen per node. */
  public synchronized Map<String, Integer> boots() {
    return Map.copyOf(boots);
  }

  /** Whether the node is cordoned now. */
  public boolean cordoned(String name) {
    Node node = latest.get(name);
    return node != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
  }

  static boolean unavailable(Node node) {
    boolean cordoned = Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    boolean ready =
        node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    return cordoned || !ready;
  }

  private static String bootId(Node node) {
    return String.valueOf(node.getStatus().getNodeInfo().getBootID());
  }

  @Override
  public void close() {
    informer.close();
    client.close();
  }
}
