package dev.refit.testing.invariants;

import dev.refit.api.OSUpdatePolicy;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code maxUnavailable}: when Refit starts a disruption (a node comes to carry Refit's cordon),
 * the nodes of its policy out of service for any reason — cordoned by anyone, or not Ready — this
 * one included, are at most the policy's {@code maxUnavailable}. Only a disruption Refit starts can
 * break the limit: a node may fail on its own. Which nodes a policy manages, and its limit, come
 * from the policies as the watcher saw them ({@link PolicyReadings#managing}; a policy being
 * deleted still counts).
 *
 * <p>The operator decides from its own cache, a little behind the watch, so what changed less than
 * a grace period before the cordon is not held against it: a node that went out of service within
 * it counts as in service, and of the ways the policies stood within it (a limit lowered, a
 * selector changed) the most lenient decides. A node that carries Refit's cordon always counts: the
 * operator set that cordon itself and knows of it.
 */
public final class MaxUnavailable implements Invariant {

  public static final String NAME = Violation.MAX_UNAVAILABLE;

  /** How far the operator's cache may be behind the watch. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(1);

  private final Duration grace;

  /** With {@link #DEFAULT_GRACE}. */
  public MaxUnavailable() {
    this(DEFAULT_GRACE);
  }

  /** With this grace period for changes that raced the cordon. */
  public MaxUnavailable(Duration grace) {
    this.grace = grace;
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
    if (older == null || NodeReadings.refitCordoned(older) || !NodeReadings.refitCordoned(newer)) {
      return List.of();
    }
    String changed = newer.getMetadata().getName();
    Instant since = fleet.now().minus(grace);
    String leastExcess = null;
    int smallest = Integer.MAX_VALUE;
    for (Map<String, OSUpdatePolicy> view : fleet.policies().since(since)) {
      String policy = PolicyReadings.managing(newer, view.values());
      if (policy == null) {
        return List.of();
      }
      List<String> members =
          fleet.nodes().values().stream()
              .filter(n -> policy.equals(PolicyReadings.managing(n, view.values())))
              .map(n -> n.getMetadata().getName())
              .toList();
      int limit = limit(view.get(policy).getSpec().getMaxUnavailable(), members.size());
      List<String> out =
          members.stream().filter(n -> n.equals(changed) || counts(fleet, n, since)).toList();
      if (out.size() <= limit) {
        return List.of();
      }
      if (out.size() - limit < smallest) {
        smallest = out.size() - limit;
        leastExcess =
            out.size()
                + " nodes of policy "
                + policy
                + " out of service ("
                + String.join(", ", out)
                + "), limit "
                + limit;
      }
    }
    return List.of(Violation.seen(NAME, changed, leastExcess));
  }

  /** Out of service, and not just now (unless by Refit's own cordon). */
  private static boolean counts(SeenNodes fleet, String name, Instant since) {
    Node node = fleet.node(name);
    return NodeReadings.refitCordoned(node)
        || (NodeReadings.outOfService(node) && !fleet.serviceChanged(name).isAfter(since));
  }
}
