package dev.refit.operator.plan;

import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.RefitApi;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which policy manages which node. A node is managed by a policy when that policy alone selects it
 * and it is not labelled {@link RefitApi#EXCLUDE_LABEL}; a node two policies select is managed by
 * neither, and reported on both.
 */
public final class Claims {

  private final Map<String, List<Node>> managed = new TreeMap<>();
  private final Map<String, List<Node>> excluded = new TreeMap<>();
  private final Map<String, List<String>> claimants = new TreeMap<>(NodeOrder.NATURAL);

  private Claims() {}

  /** Claims of every policy over every node. */
  public static Claims of(Collection<OSUpdatePolicy> policies, Collection<Node> nodes) {
    Claims claims = new Claims();
    List<OSUpdatePolicy> sorted =
        policies.stream()
            .filter(p -> p.getSpec() != null && p.getSpec().getNodeSelector() != null)
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
            .toList();
    for (Node node : nodes) {
      Map<String, String> labels = node.getMetadata().getLabels();
      List<String> selecting = new ArrayList<>();
      for (OSUpdatePolicy policy : sorted) {
        if (policy.getSpec().getNodeSelector().matches(labels)) {
          selecting.add(policy.getMetadata().getName());
        }
      }
      String name = node.getMetadata().getName();
      if (!selecting.isEmpty()) {
        claims.claimants.put(name, List.copyOf(selecting));
      }
      if (selecting.size() != 1) {
        continue;
      }
      boolean isExcluded = labels != null && labels.containsKey(RefitApi.EXCLUDE_LABEL);
      (isExcluded ? claims.excluded : claims.managed)
          .computeIfAbsent(selecting.get(0), k -> new ArrayList<>())
          .add(node);
    }
    claims.managed.values().forEach(list -> list.sort(byName()));
    claims.excluded.values().forEach(list -> list.sort(byName()));
    return claims;
  }

  /** Nodes the policy alone selects and may update, by name. */
  public List<Node> managedBy(String policy) {
    return managed.getOrDefault(policy, List.of());
  }

  /** Nodes the policy alone selects but that are labelled to be left alone, by name. */
  public List<Node> excludedFrom(String policy) {
    return excluded.getOrDefault(policy, List.of());
  }

  /** Nodes the policy selects together with other policies: node name to the other policies. */
  public Map<String, List<String>> conflictsOf(String policy) {
    Map<String, List<String>> conflicts = new TreeMap<>();
    claimants.forEach(
        (node, policies) -> {
          if (policies.size() > 1 && policies.contains(policy)) {
            conflicts.put(node, policies.stream().filter(p -> !p.equals(policy)).toList());
          }
        });
    return conflicts;
  }

  /** The policies that select a node (several means none manages it). */
  public List<String> claimantsOf(String node) {
    return claimants.getOrDefault(node, List.of());
  }

  private static Comparator<Node> byName() {
    return Comparator.comparing(n -> n.getMetadata().getName(), NodeOrder.NATURAL);
  }
}
