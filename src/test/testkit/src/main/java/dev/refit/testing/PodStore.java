package dev.refit.testing;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.function.Supplier;

/**
 * The dispatcher's store as eviction and budget checks see it: typed pods and budgets of one
 * namespace, and the two writes an eviction makes. Writes made here reach watchers but are not
 * judged as disruptions (an allowed eviction is the legitimate path).
 */
interface PodStore {

  /** A pod as stored, with the opaque key the store holds it under. */
  record StoredPod(Object key, Pod pod) {}

  StoredPod pod(String namespace, String name);

  /**
   * Pods of the namespace that may match {@code selector}: filtered by its matchLabels through the
   * store's keys (cheap), not yet by its matchExpressions.
   */
  List<Pod> pods(String namespace, LabelSelector selector);

  List<PodDisruptionBudget> budgets(String namespace);

  /**
   * The replica count of a pod's controller (ReplicaSet, or its Deployment; StatefulSet;
   * ReplicationController), or null when the store holds no such controller.
   */
  Integer controllerScale(String namespace, OwnerReference controller);

  /** Replaces a stored pod (a new resourceVersion must already be set). */
  void replace(StoredPod stored, Pod updated);

  void remove(StoredPod stored);

  /** Runs {@code action} while no other write can reach the store. */
  <T> T exclusively(Supplier<T> action);

  long nextResourceVersion();
}
