package dev.refit.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The test kit's independent oracle of PodDisruptionBudget arithmetic, as the eviction API applies
 * it: which pods a budget covers, how many it expects, how many are healthy and how many it needs.
 * Written from the Kubernetes rules, never from the operator's code, so the two can disagree.
 */
final class PdbOracle {

  /** A budget judged against the pods of its namespace. */
  record State(String budget, int expected, int currentHealthy, int desiredHealthy) {

    /** Whether taking {@code pod} away now would leave the budget short. */
    boolean forbidsDisruptionOf(Pod pod, boolean alwaysAllowUnhealthy) {
      if (isHealthy(pod)) {
        return currentHealthy - 1 < desiredHealthy;
      }
      // An unhealthy pod costs the budget nothing, unless the budget is already broken.
      return !alwaysAllowUnhealthy && currentHealthy < desiredHealthy;
    }
  }

  private PdbOracle() {}

  static List<PodDisruptionBudget> covering(Pod pod, List<PodDisruptionBudget> budgets) {
    return budgets.stream()
        .filter(b -> b.getSpec() != null)
        .filter(b -> selects(b.getSpec().getSelector(), pod.getMetadata().getLabels()))
        .toList();
  }

  /** Finds the replica count of a pod's controller, or null when the store has no such one. */
  @FunctionalInterface
  interface Scales {
    Integer of(String namespace, OwnerReference controller);
  }

  static State evaluate(PodDisruptionBudget budget, List<Pod> podsInNamespace, Scales scales) {
    List<Pod> covered =
        podsInNamespace.stream()
            .filter(p -> selects(budget.getSpec().getSelector(), p.getMetadata().getLabels()))
            .toList();
    int expected = expectedScale(covered, scales);
    int healthy = (int) covered.stream().filter(PdbOracle::isHealthy).count();
    return new State(
        budget.getMetadata().getName(), expected, healthy, desiredHealthy(budget, expected));
  }

  /**
   * How many pods the budget expects: the replicas of each controller owning covered pods (as the
   * disruption controller counts, so a pod that is terminating before its replacement exists does
   * not shrink a percentage), plus each non-terminating covered pod without a known controller.
   */
  static int expectedScale(List<Pod> covered, Scales scales) {
    Map<String, Integer> controllers = new HashMap<>();
    int unmanaged = 0;
    for (Pod pod : covered) {
      OwnerReference controller = controllerOf(pod);
      Integer scale =
          controller == null
              ? null
              : controllers.containsKey(controller.getUid())
                  ? controllers.get(controller.getUid())
                  : scales.of(pod.getMetadata().getNamespace(), controller);
      if (scale != null) {
        controllers.put(controller.getUid(), scale);
      } else if (!isTerminating(pod)) {
        unmanaged++;
      }
    }
    return controllers.values().stream().mapToInt(Integer::intValue).sum() + unmanaged;
  }

  static OwnerReference controllerOf(HasMetadata object) {
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    return owners == null
        ? null
        : owners.stream()
            .filter(o -> Boolean.TRUE.equals(o.getController()))
            .findFirst()
            .orElse(null);
  }

  static boolean alwaysAllowsUnhealthy(PodDisruptionBudget budget) {
    return "AlwaysAllow".equals(budget.getSpec().getUnhealthyPodEvictionPolicy());
  }

  static int desiredHealthy(PodDisruptionBudget budget, int expected) {
    IntOrString min = budget.getSpec().getMinAvailable();
    IntOrString max = budget.getSpec().getMaxUnavailable();
    if (min != null) {
      return scaled(min, expected);
    }
    if (max != null) {
      return Math.max(0, expected - scaled(max, expected));
    }
    return 0;
  }

  /** An int as is, a percentage of {@code total} rounded up (as Kubernetes does for budgets). */
  static int scaled(IntOrString value, int total) {
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal().trim();
    if (!text.endsWith("%")) {
      return Integer.parseInt(text);
    }
    int percent = Integer.parseInt(text.substring(0, text.length() - 1));
    return (int) Math.ceil(percent * (double) total / 100);
  }

  static boolean isTerminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  /** Ready and not terminating: what the disruption controller counts as healthy. */
  static boolean isHealthy(Pod pod) {
    if (isTerminating(pod) || pod.getStatus() == null) {
      return false;
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * Label selector semantics of policy/v1: a null selector selects nothing, an empty one selects
   * every pod of the namespace.
   */
  static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> actual = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
        if (!wanted.getValue().equals(actual.get(wanted.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        if (!satisfies(requirement, actual)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean satisfies(
      LabelSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    return switch (requirement.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> throw new IllegalArgumentException("operator " + requirement.getOperator());
    };
  }
}
