package dev.refit.operator.act;

import dev.refit.api.Drain;
import dev.refit.api.Selector;
import dev.refit.operator.plan.Blocker;
import dev.refit.operator.plan.Budgets;
import dev.refit.operator.plan.PodFilter;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The PodDisruptionBudgets that protect pods, read from the API server when a decision needs them:
 * which budgets cover a pod, and which of those can never allow an eviction even with every pod
 * they select healthy (one replica under {@code minAvailable: 1}, {@code maxUnavailable: 0}), so
 * that waiting cannot help and only a change to the budget or its workload can.
 */
public final class PodBudgets {

  /** The Blocker reason of a budget that can never allow an eviction. */
  public static final String UNSATISFIABLE = "UnsatisfiableBudget";

  /** What a refused eviction of a pod no budget covers is taken for. */
  static final String NO_BUDGET =
      "eviction answered 429 Too Many Requests, and no PDB covers the pod: the API server"
          + " throttling, or a budget deleted since; retrying";

  private final KubernetesClient client;

  public PodBudgets(KubernetesClient client) {
    this.client = client;
  }

  /**
   * What blocks the pod whose eviction was refused (429): the budgets covering it, and whether one
   * of them can never allow an eviction; without a budget, the API server's throttling.
   */
  public Blocker refused(Pod pod, Instant now) {
    String key = key(pod);
    List<PodDisruptionBudget> covering = covering(pod, new HashMap<>());
    if (covering.isEmpty()) {
      // the Eviction API answers 429 for a budget, but also when the API server throttles
      return new Blocker(key, "EvictionError", NO_BUDGET, now);
    }
    List<String> never = neverAllowing(covering);
    if (!never.isEmpty()) {
      return new Blocker(key, UNSATISFIABLE, String.join("; ", never), now);
    }
    return new Blocker(
        key,
        "DisruptionBudget",
        String.join(", ", covering.stream().map(PodBudgets::name).toList()),
        now);
  }

  /**
   * A check of one round's candidates before their cordons ({@link Check#undrainable}): each
   * namespace's budgets and each budget's pods are read from the API server once for all of them,
   * so a round with many candidates in few namespaces asks little.
   */
  public Check check(Instant now) {
    return new Check(now);
  }

  /** The budgets read for one round's candidates, each namespace and budget once. */
  public final class Check {
    private final Instant now;
    private final Map<String, List<PodDisruptionBudget>> byNamespace = new HashMap<>();
    private final Map<String, Optional<String>> verdicts = new HashMap<>();

    private Check(Instant now) {
      this.now = now;
    }

    /**
     * Before a node is cordoned: the budgets that can never allow the eviction of a pod its drain
     * would have to evict, described for a person ("PDB shop/web (pod shop/web-1), which can never
     * allow an eviction (minAvailable 1 with 1 pod)"); empty when none does.
     *
     * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API server does not
     *     answer a read the check needs
     */
    public Optional<String> undrainable(String node, Drain drain) {
      List<Pod> pods =
          client.pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems();
      // each budget is described once per node (its pods counted once per round), with the first
      // pod of the node it covers
      Set<String> described = new HashSet<>();
      List<String> blockers = new ArrayList<>();
      for (Pod pod : pods) {
        if (pod.getMetadata().getDeletionTimestamp() != null
            || !PodFilter.mustLeave(PodFilter.judge(pod, drain, now))) {
          continue;
        }
        List<String> never =
            covering(pod, byNamespace).stream()
                .filter(b -> described.add(name(b)))
                .flatMap(b -> verdicts.computeIfAbsent(name(b), k -> neverAllowing(b)).stream())
                .toList();
        if (!never.isEmpty()) {
          blockers.add(
              new Blocker(key(pod), UNSATISFIABLE, String.join("; ", never), now).describe());
        }
      }
      return blockers.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", blockers));
    }
  }

  /** The budgets of the pod's namespace that select it (each namespace listed once per map). */
  private List<PodDisruptionBudget> covering(
      Pod pod, Map<String, List<PodDisruptionBudget>> byNamespace) {
    String namespace = pod.getMetadata().getNamespace();
    return byNamespace
        .computeIfAbsent(
            namespace,
            ns -> client.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems())
        .stream()
        .filter(
            b ->
                b.getSpec() != null
                    && Selector.matches(b.getSpec().getSelector(), pod.getMetadata().getLabels()))
        .toList();
  }

  /** Of these budgets, those that allow no eviction with all their pods healthy, with the sums. */
  private List<String> neverAllowing(List<PodDisruptionBudget> budgets) {
    return budgets.stream().flatMap(b -> neverAllowing(b).stream()).toList();
  }

  /**
   * "shop/web: minAvailable 3 with 3 pods" when the budget allows no eviction with all its pods
   * healthy; empty when it allows one.
   */
  private Optional<String> neverAllowing(PodDisruptionBudget budget) {
    var spec = budget.getSpec();
    var status = budget.getStatus();
    int expected =
        Math.max(
            selected(budget),
            status == null || status.getExpectedPods() == null ? 0 : status.getExpectedPods());
    if (expected <= 0
        || Budgets.allowedWhenAllHealthy(spec.getMinAvailable(), spec.getMaxUnavailable(), expected)
            > 0) {
      return Optional.empty();
    }
    return Optional.of(
        name(budget)
            + ": "
            + (spec.getMinAvailable() != null
                ? "minAvailable " + text(spec.getMinAvailable())
                : "maxUnavailable " + text(spec.getMaxUnavailable()))
            + " with "
            + expected
            + (expected == 1 ? " pod" : " pods"));
  }

  /**
   * The pods a budget expects: those it selects in its namespace that have not finished,
   * terminating ones included, as Kubernetes counts a budget's expected pods. An evicted pod is
   * counted until its replacement is, so a workload in the middle of replacing one (the evicted pod
   * terminating, its controller about to create the new one) does not look one pod smaller than it
   * is.
   */
  private int selected(PodDisruptionBudget budget) {
    var selector = budget.getSpec().getSelector();
    var pods = client.pods().inNamespace(budget.getMetadata().getNamespace());
    List<Pod> candidates =
        selector != null && selector.getMatchLabels() != null
            ? pods.withLabels(selector.getMatchLabels()).list().getItems()
            : pods.list().getItems();
    return (int)
        candidates.stream()
            .filter(p -> Selector.matches(selector, p.getMetadata().getLabels()))
            .filter(
                p ->
                    p.getStatus() == null
                        || !("Succeeded".equals(p.getStatus().getPhase())
                            || "Failed".equals(p.getStatus().getPhase())))
            .count();
  }

  static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private static String text(IntOrString value) {
    return value.getIntVal() != null ? value.getIntVal().toString() : value.getStrVal();
  }

  private static String name(PodDisruptionBudget budget) {
    return budget.getMetadata().getNamespace() + "/" + budget.getMetadata().getName();
  }
}
