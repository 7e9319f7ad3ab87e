package dev.refit.testing;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Map;
import java.util.Objects;

/**
 * A replicated application for {@link FakeWorkloads}: a ReplicaSet's pods, optionally guarded by a
 * PodDisruptionBudget. Start with {@link #named(String)} and refine with the {@code with...}
 * methods.
 *
 * @param name name of the ReplicaSet, the budget and the prefix of pod names
 * @param namespace where everything lives
 * @param replicas how many non-terminating pods to keep
 * @param podLabels labels of the pods, also the selector of the budget
 * @param nodeSelector labels a node needs to run the pods (empty: any node)
 * @param budget the PodDisruptionBudget to create, or null for none
 * @param terminationGraceSeconds the pods' {@code spec.terminationGracePeriodSeconds}
 * @param startDelayMillis how long a new pod takes to turn Ready once bound to a node
 * @param emptyDir whether the pods mount an emptyDir volume (local data a drain must accept losing)
 */
public record Workload(
    String name,
    String namespace,
    int replicas,
    Map<String, String> podLabels,
    Map<String, String> nodeSelector,
    Budget budget,
    long terminationGraceSeconds,
    long startDelayMillis,
    boolean emptyDir) {

  public Workload {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    podLabels = Map.copyOf(podLabels);
    nodeSelector = Map.copyOf(nodeSelector);
    if (replicas < 0 || podLabels.isEmpty()) {
      throw new IllegalArgumentException("need replicas >= 0 and at least one pod label");
    }
  }

  /**
   * A PodDisruptionBudget: exactly one of the two is set, an int or a percentage like {@code
   * "50%"}.
   */
  public record Budget(IntOrString minAvailable, IntOrString maxUnavailable) {

    public static Budget minAvailable(int pods) {
      return new Budget(new IntOrString(pods), null);
    }

    public static Budget minAvailable(String percent) {
      return new Budget(new IntOrString(percent), null);
    }

    public static Budget maxUnavailable(int pods) {
      return new Budget(null, new IntOrString(pods));
    }

    public static Budget maxUnavailable(String percent) {
      return new Budget(null, new IntOrString(percent));
    }
  }

  /**
   * One replica in namespace {@code default}, labels {@code app=NAME}, any node, no budget, 30 s
   * grace period, Ready at once, no emptyDir.
   */
  public static Workload named(String name) {
    return new Workload(name, "default", 1, Map.of("app", name), Map.of(), null, 30, 0, false);
  }

  public Workload inNamespace(String ns) {
    return new Workload(
        name,
        ns,
        replicas,
        podLabels,
        nodeSelector,
        budget,
        terminationGraceSeconds,
        startDelayMillis,
        emptyDir);
  }

  public Workload withReplicas(int count) {
    return new Workload(
        name,
        namespace,
        count,
        podLabels,
        nodeSelector,
        budget,
        terminationGraceSeconds,
        startDelayMillis,
        emptyDir);
  }

  public Workload withPodLabels(Map<String, String> labels) {
    return new Workload(
        name,
        namespace,
        replicas,
        labels,
        nodeSelector,
        budget,
        terminationGraceSeconds,
        startDelayMillis,
        emptyDir);
  }

  public Workload withNodeSelector(Map<String, String> selector) {
    return new Workload(
        name,
        namespace,
        replicas,
        podLabels,
        selector,
        budget,
        terminationGraceSeconds,
        startDelayMillis,
        emptyDir);
  }

  public Workload withBudget(Budget pdb) {
    return new Workload(
        name,
        namespace,
        replicas,
        podLabels,
        nodeSelector,
        pdb,
        terminationGraceSeconds,
        startDelayMillis,
        emptyDir);
  }

  public Workload withTerminationGraceSeconds(long seconds) {
    return new Workload(
        name,
        namespace,
        replicas,
        podLabels,
        nodeSelector,
        budget,
        seconds,
        startDelayMillis,
        emptyDir);
  }

  public Workload withStartDelayMillis(long millis) {
    return new Workload(
        name,
        namespace,
        replicas,
        podLabels,
        nodeSelector,
        budget,
        terminationGraceSeconds,
        millis,
        emptyDir);
  }

  public Workload withEmptyDir(boolean mounted) {
    return new Workload(
        name,
        namespace,
        replicas,
        podLabels,
        nodeSelector,
        budget,
        terminationGraceSeconds,
        startDelayMillis,
        mounted);
  }
}
