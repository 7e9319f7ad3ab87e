package dev.refit.testing.invariants;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Map;

/**
 * {@code maxUnavailable}: never more of a policy's nodes out of service (cordoned or not Ready)
 * than its {@code maxUnavailable} allows, judged whenever Refit holds one of them cordoned. Only a
 * disruption Refit caused can break its limit: a node may fail on its own.
 */
public final class MaxUnavailable implements Invariant {

  public static final String NAME = "maxUnavailable";

  private final Map<String, String> policyOf;
  private final Map<String, Integer> limits;

  /**
   * @param policyOf node name to the one policy that manages it
   * @param limits node name to its policy's limit (see {@link #limit})
   */
  public MaxUnavailable(Map<String, String> policyOf, Map<String, Integer> limits) {
    this.policyOf = Map.copyOf(policyOf);
    this.limits = Map.copyOf(limits);
  }

  /** As the API defines it: an integer, or a percentage of the nodes rounded down; at least 1. */
  public static int limit(IntOrString value, int total) {
    if (value == null) {
      return 1;
    }
    if (value.getIntVal() != null) {
      return Math.max(1, value.getIntVal());
    }
    String text = value.getStrVal().replace("%", "").trim();
    return Math.max(1, (int) ((long) total * Integer.parseInt(text) / 100));
  }

  @Override
  public List<Violation> nodeSeen(Node older, Node newer, SeenNodes fleet) {
    String changed = newer.getMetadata().getName();
    String policy = policyOf.get(changed);
    if (policy == null || !limits.containsKey(changed)) {
      return List.of();
    }
    int limit = limits.get(changed);
    int count = fleet.outOfService(node -> policy.equals(policyOf.get(node)));
    if (count > limit && NodeReadings.refitCordoned(newer)) {
      return List.of(
          Violation.seen(
              NAME,
              changed,
              count + " nodes of policy " + policy + " out of service, limit " + limit));
    }
    return List.of();
  }
}
