package dev.refit.operator.act;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Watches the pods of the nodes that need it (draining or verifying), one informer per node with
 * the field selector {@code spec.nodeName}, so the operator never watches every pod of a large
 * cluster. Any change to a watched node's pods is reported to the listener.
 */
public class NodePods implements AutoCloseable {

  private final KubernetesClient client;
  private final BiConsumer<String, String> onChange;
  private final Map<String, SharedIndexInformer<Pod>> informers = new ConcurrentHashMap<>();
  private final Map<String, String> owners = new ConcurrentHashMap<>();

  /**
   * @param client the operator's client
   * @param onChange called with the owning policy and the node whenever one of its pods changes
   */
  public NodePods(KubernetesClient client, BiConsumer<String, String> onChange) {
    this.client = client;
    this.onChange = onChange;
  }

  /** Starts watching the node's pods for a policy, if not already watching. */
  public void watch(String policy, String node) {
    owners.put(node, policy);
    informers.computeIfAbsent(
        node,
        n -> {
          SharedIndexInformer<Pod> informer =
              client.pods().inAnyNamespace().withField("spec.nodeName", n).runnableInformer(0);
          informer.addEventHandler(
              new ResourceEventHandler<>() {
                @Override
                public void onAdd(Pod pod) {
                  changed(n);
                }

                @Override
                public void onUpdate(Pod older, Pod newer) {
                  changed(n);
                }

                @Override
                public void onDelete(Pod pod, boolean unknownFinalState) {
                  changed(n);
                }
              });
          // A failed first list would otherwise stop the informer for good, and the drain would
          // wait for pods it can no longer see: retry every failure but a model mismatch, with
          // the informer's own backoff.
          informer.exceptionHandler(
              (started, error) -> !ExceptionHandler.isDeserializationException(error));
          // callbacks for the first list may run before the informer counts as synced; report
          // once more when it is, so no one waits for an event that already went by
          informer.start().thenRun(() -> changed(n));
          // Should it stop anyway, forget it: the next round watches the node afresh.
          informer
              .stopped()
              .whenComplete(
                  (done, error) -> {
                    if (informers.remove(n, informer)) {
                      changed(n);
                    }
                  });
          return informer;
        });
  }

  private void changed(String node) {
    String policy = owners.get(node);
    if (policy != null) {
      onChange.accept(policy, node);
    }
  }

  /** Whether the node's pods are watched and the first list has arrived. */
  public boolean synced(String node) {
    SharedIndexInformer<Pod> informer = informers.get(node);
    return informer != null && informer.hasSynced();
  }

  /** The node's pods as last seen (empty when not watched). */
  public List<Pod> pods(String node) {
    SharedIndexInformer<Pod> informer = informers.get(node);
    return informer == null ? List.of() : informer.getStore().list();
  }

  /** Stops watching the policy's nodes that are not in the given set. */
  public void retain(String policy, Set<String> nodes) {
    for (Map.Entry<String, String> owner : Set.copyOf(owners.entrySet())) {
      if (owner.getValue().equals(policy) && !nodes.contains(owner.getKey())) {
        owners.remove(owner.getKey());
        SharedIndexInformer<Pod> informer = informers.remove(owner.getKey());
        if (informer != null) {
          informer.close();
        }
      }
    }
  }

  /** Nodes whose pods are watched. */
  public Set<String> watched() {
    return Set.copyOf(informers.keySet());
  }

  @Override
  public void close() {
    List<SharedIndexInformer<Pod>> open = List.copyOf(informers.values());
    informers.clear();
    owners.clear();
    open.forEach(SharedIndexInformer::close);
  }
}
