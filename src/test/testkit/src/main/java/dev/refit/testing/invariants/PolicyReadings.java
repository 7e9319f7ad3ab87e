package dev.refit.testing.invariants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.RefitApi;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What a watcher reads off a policy: which nodes it manages, what it targets, which pods its drain
 * must remove. Written here from the API's documented meaning (docs/design.md, "Which policy
 * manages a node" and "Drain"), not borrowed from the operator: the selectors are read as JSON, the
 * way the API server stores them, and matched with Kubernetes' label-selector rules.
 */
public final class PolicyReadings {

  static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

  private static final ObjectMapper JSON = new ObjectMapper();

  private PolicyReadings() {}

  /** The policy's spec as JSON (what the API stores). */
  static JsonNode spec(OSUpdatePolicy policy) {
    return JSON.valueToTree(policy.getSpec());
  }

  /**
   * The one policy that manages this node: the only one whose {@code nodeSelector} selects it,
   * unless it is labelled {@link RefitApi#EXCLUDE_LABEL}; null when none or several select it.
   */
  public static String managing(Node node, Collection<OSUpdatePolicy> policies) {
    Map<String, String> labels = labels(node.getMetadata().getLabels());
    if (labels.containsKey(RefitApi.EXCLUDE_LABEL)) {
      return null;
    }
    List<String> selecting = new ArrayList<>();
    for (OSUpdatePolicy policy : policies) {
      if (matches(spec(policy).path("nodeSelector"), labels)) {
        selecting.add(policy.getMetadata().getName());
      }
    }
    return selecting.size() == 1 ? selecting.get(0) : null;
  }

  /** The policy's target as a person reads it, with its family when it names one. */
  public static String target(OSUpdatePolicy policy) {
    return policy.getSpec().getOs() == null ? "" : policy.getSpec().getOs().toString();
  }

  /**
   * Whether the policy's drain must remove this pod before the node counts as drained: any pod but
   * a mirror pod, a DaemonSet's, one {@code drain.podSelector} keeps, or a finished one. A pod
   * still terminating has not left yet.
   */
  public static boolean drainRemoves(Pod pod, OSUpdatePolicy policy) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey(MIRROR_ANNOTATION)) {
      return false;
    }
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    if (owners != null
        && owners.stream()
            .anyMatch(
                o -> "DaemonSet".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()))) {
      return false;
    }
    JsonNode keep = spec(policy).path("drain").path("podSelector");
    if (!isEmpty(keep) && matches(keep, labels(pod.getMetadata().getLabels()))) {
      return false;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  /** Kubernetes' label-selector rules; an empty selector selects everything. */
  static boolean matches(JsonNode selector, Map<String, String> labels) {
    for (var wanted :
        (Iterable<Map.Entry<String, JsonNode>>) selector.path("matchLabels")::fields) {
      if (!wanted.getValue().asText().equals(labels.get(wanted.getKey()))) {
        return false;
      }
    }
    for (JsonNode requirement : selector.path("matchExpressions")) {
      String actual = labels.get(requirement.path("key").asText());
      List<String> values = new ArrayList<>();
      requirement.path("values").forEach(v -> values.add(v.asText()));
      boolean holds =
          switch (requirement.path("operator").asText()) {
            case "In" -> actual != null && values.contains(actual);
            case "NotIn" -> actual == null || !values.contains(actual);
            case "Exists" -> actual != null;
            case "DoesNotExist" -> actual == null;
            default -> false;
          };
      if (!holds) {
        return false;
      }
    }
    return true;
  }

  private static boolean isEmpty(JsonNode selector) {
    return selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty();
  }

  private static Map<String, String> labels(Map<String, String> labels) {
    return labels == null ? Map.of() : labels;
  }
}
