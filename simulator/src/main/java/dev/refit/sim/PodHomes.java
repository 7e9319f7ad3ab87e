package dev.refit.sim;

import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node every pod was bound to, kept after the pod is gone, so an eviction the API refused can
 * be laid at its node's door in the report.
 */
final class PodHomes implements AutoCloseable {

  private final Map<String, String> homes = new ConcurrentHashMap<>();
  private final KubernetesClient client;
  private final SharedIndexInformer<Pod> informer;

  PodHomes(EmbeddedKubernetes api) {
    client = api.newClient("refit-simulator/observer");
    informer =
        client
            .pods()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    see(pod);
                  }

                  @Override
                  public void onUpdate(Pod before, Pod after) {
                    see(after);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean finalStateUnknown) {}
                });
  }

  private void see(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (node != null && !node.isEmpty()) {
      homes.put(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(), node);
    }
  }

  /** The node the pod was last seen bound to, or null. */
  String nodeOf(String namespace, String pod) {
    return homes.get(namespace + "/" + pod);
  }

  @Override
  public void close() {
    informer.close();
    client.close();
  }
}
