package dev.refit.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * The kubelets' part of a graceful deletion: once a pod is marked terminating, its containers get
 * the grace period to stop and the kubelet then deletes the pod for good. Driven by one shared pod
 * informer over all namespaces; delays come from {@link HarnessTiming#terminationMillis}.
 */
final class TerminatingPodReaper implements AutoCloseable {

  private final KubernetesClient client;
  private final HarnessTiming timing;
  private final SerialExecutor executor;
  private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
  private final SharedIndexInformer<Pod> informer;

  TerminatingPodReaper(KubernetesClient client, HarnessTiming timing, SerialExecutor executor) {
    this.client = client;
    this.timing = timing;
    this.executor = executor;
    this.informer = client.pods().inAnyNamespace().inform(new Handler());
  }

  private final class Handler implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      scheduleIfTerminating(pod);
    }

    @Override
    public void onUpdate(Pod oldPod, Pod newPod) {
      scheduleIfTerminating(newPod);
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
      ScheduledFuture<?> removal = pending.remove(pod.getMetadata().getUid());
      if (removal != null) {
        removal.cancel(false);
      }
    }
  }

  private void scheduleIfTerminating(Pod pod) {
    if (!PdbOracle.isTerminating(pod)) {
      return;
    }
    pending.computeIfAbsent(
        pod.getMetadata().getUid(),
        uid -> executor.schedule(() -> delete(pod), timing.terminationMillis(pod)));
  }

  private void delete(Pod pod) {
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .delete();
  }

  @Override
  public void close() {
    informer.close();
    pending.values().forEach(f -> f.cancel(false));
  }
}
