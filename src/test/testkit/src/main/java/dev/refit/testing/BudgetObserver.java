package dev.refit.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches every pod write the store applies and records a {@link PdbViolation} when a healthy pod
 * covered by a budget is deleted or marked terminating although an eviction would have been
 * refused. Allowed evictions write through {@link PodStore} and are never judged here; neither is
 * the removal of a pod whose Node was deleted (what Kubernetes' pod garbage collector does after a
 * node leaves the cluster: an involuntary disruption, which budgets do not govern).
 */
final class BudgetObserver {

  private final PodStore store;
  private final DisruptionLog log;
  private final Clock clock;
  private final Set<String> deletedNodes = ConcurrentHashMap.newKeySet();

  BudgetObserver(PodStore store, DisruptionLog log, Clock clock) {
    this.store = store;
    this.log = log;
    this.clock = clock;
  }

  /** Called for every write of a Node: whether it removed the Node. */
  void nodeWritten(String name, boolean deleted) {
    if (name == null) {
      return;
    }
    if (deleted) {
      deletedNodes.add(name);
    } else {
      deletedNodes.remove(name);
    }
  }

  /**
   * Called with the store's write lock held, before the write: the store still shows the state the
   * disruption starts from.
   */
  void beforeWrite(String oldJson, String newJson) {
    if (oldJson == null || (newJson != null && !newJson.contains("deletionTimestamp"))) {
      return;
    }
    Pod before = Serialization.unmarshal(oldJson, Pod.class);
    if (!PdbOracle.isHealthy(before)
        || (before.getSpec() != null && deletedNodes.contains(before.getSpec().getNodeName()))) {
      return;
    }
    if (newJson != null && !PdbOracle.isTerminating(Serialization.unmarshal(newJson, Pod.class))) {
      return;
    }
    String namespace = before.getMetadata().getNamespace();
    for (PodDisruptionBudget budget : PdbOracle.covering(before, store.budgets(namespace))) {
      PdbOracle.State state =
          PdbOracle.evaluate(
              budget,
              store.pods(namespace, budget.getSpec().getSelector()),
              store::controllerScale);
      if (state.forbidsDisruptionOf(before, false)) {
        log.record(
            new PdbViolation(
                clock.instant(),
                namespace,
                state.budget(),
                before.getMetadata().getName(),
                state.desiredHealthy(),
                state.currentHealthy() - 1));
      }
    }
  }
}
