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
 * <p>Moments are the API server's: when it wrote the cordon, the limit, a node's going out of
 * service ({@link SeenNodes#written}), so a watch that delivers Nodes later than policies does not
 * put a cordon after an edit that came after it.
 *
 * <p>The operator decides from its own cache, a little behind the server, so what changed less than
 * a grace period before the cordon is not held against it: a node that went out of service within
 * it counts as in service, and of the ways the policies stood within it (a limit lowered, a
 * selector changed) the most lenient decides. A node that carries Refit's cordon always counts: the
 * operator set that cordon itself and knows of it.
 *
 * <p>Where the API held back the writes that start the disruption (injected faults the client
 * retried: its OSNode, then its cordon), the cordon lands later than the operator decided, by as
 * long as the API held them back; given what held them back ({@link HeldBack}), the grace period
 * runs from the first try of those writes instead, and nothing else is forgiven.
 */
public final class MaxUnavailable implements Invariant {

  public static final String NAME = Violation.MAX_UNAVAILABLE;

  /** How far the operator's cache may be behind the server. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(1);

  /** How far back a held-back write that started a disruption may have landed before its cordon. */
  static final Duration HELD_BACK_WINDOW = Duration.ofSeconds(10);

  /** What tells when the writes to a node's objects that the API held back were first tried. */
  @FunctionalInterface
  public interface HeldBack {
    /** The first try of a held-back write to objects of this name that landed after the moment. */
    Instant firstTried(String node, Instant landedAfter);

    /** An API that holds nothing back. */
    HeldBack NONE = (node, landedAfter) -> null;
  }

  private final Duration grace;
  private final HeldBack heldBack;

  /** With {@link #DEFAULT_GRACE}, for an API that holds no write back. */
  public MaxUnavailable() {
    this(DEFAULT_GRACE, HeldBack.NONE);
  }

  /** With this grace period for changes that raced the cordon, for an API that holds none back. */
  public MaxUnavailable(Duration grace) {
    this(grace, HeldBack.NONE);
  }

  /** With the default grace, running from the first try of writes this API held back. */
  public MaxUnavailable(HeldBack heldBack) {
    this(DEFAULT_GRACE, heldBack);
  }

  private MaxUnavailable(Duration grace, HeldBack heldBack) {
    this.grace = grace;
    this.heldBack = heldBack;
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
    Instant decided = fleet.written(newer);
    Instant firstTried = heldBack.firstTried(changed, decided.minus(HELD_BACK_WINDOW));
    if (firstTried != null && firstTried.isBefore(decided)) {
      decided = firstTried;
    }
    Instant since = decided.minus(grace);
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
