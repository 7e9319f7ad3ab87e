package dev.refit.updater.kube;

import dev.refit.api.OSNode;
import dev.refit.updater.agent.NodeAgent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Delivers the agent's own OSNode to it: an informer scoped to one name (field selector {@code
 * metadata.name=<node>}), so the agent neither lists nor watches any other node's object, and its
 * RBAC can say the same. No resync: the watch is the only trigger from the API, there is no
 * polling.
 */
public final class OwnOsNodeWatch implements AutoCloseable {

  private final SharedIndexInformer<OSNode> informer;

  /** Starts watching the OSNode named after the node and feeds every change to the agent. */
  public OwnOsNodeWatch(KubernetesClient client, String node, NodeAgent agent) {
    informer =
        client
            .resources(OSNode.class)
            .withName(node)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(OSNode osNode) {
                    agent.onOsNode(osNode);
                  }

                  @Override
                  public void onUpdate(OSNode older, OSNode newer) {
                    agent.onOsNode(newer);
                  }

                  @Override
                  public void onDelete(OSNode osNode, boolean finalStateUnknown) {
                    agent.onOsNodeDeleted();
                  }
                },
                0);
  }

  /** Whether the watch is connected (for the readiness check). */
  public boolean watching() {
    return informer.isWatching();
  }

  @Override
  public void close() {
    informer.close();
  }
}
