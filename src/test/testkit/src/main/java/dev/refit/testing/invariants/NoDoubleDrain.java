package dev.refit.testing.invariants;

import dev.refit.api.OSUpdatePolicy;
import dev.refit.testing.EvictionDecision;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code noDoubleDrain}: no node is drained twice for one target. A drain episode is a span in
 * which the node carries Refit's cordon, under the target ({@code spec.os}) of the policy that
 * manages it when the cordon appears; it drained if the API allowed an eviction of a pod bound to
 * the node (as the pod watch saw it) during the span. Two drained episodes of one node under one
 * target are a violation.
 *
 * <p>What the design allows (docs/design.md, "Failures and the failure budget"): a person retries a
 * failed or skipped node by deleting its OSNode, which starts its count afresh; a new target resets
 * every node. Nothing else re-drains a node for the same target: a drain that timed out under Halt
 * or Skip leaves the node on its old OS for this target, pausing lifts no cordon, and an operator
 * restart keeps the cordon (one span). Evictions and cordons are stamped by different clocks and
 * streams, so an eviction up to the grace period before the span was seen belongs to it.
 */
public final class NoDoubleDrain implements Invariant {

  public static final String NAME = Violation.NO_DOUBLE_DRAIN;

  /** One span under Refit's cordon; {@code end} null while it lasts. */
  private static final class Episode {
    final Instant start;
    final String policy;
    final String target;
    Instant end;

    Episode(Instant start, String policy, String target) {
      this.start = start;
      this.policy = policy;
      this.target = target;
    }
  }

  private final Supplier<List<EvictionDecision>> evictions;
  private final Duration grace;
  private final Map<String, List<Episode>> episodes = new TreeMap<>();

  /**
   * @param evictions the API's eviction log, such as {@code EmbeddedKubernetes::evictions}; pods
   *     are mapped to nodes from the pod watch, so the watcher must feed pods
   */
  public NoDoubleDrain(Supplier<List<EvictionDecision>> evictions) {
    this(evictions, MaxUnavailable.DEFAULT_GRACE);
  }

  public NoDoubleDrain(Supplier<List<EvictionDecision>> evictions, Duration grace) {
    this.evictions = evictions;
    this.grace = grace;
  }

  @Override
  public List<Violation> nodeSeen(Node older, Node newer, SeenNodes fleet) {
    String name = newer.getMetadata().getName();
    boolean was = older != null && NodeReadings.refitCordoned(older);
    boolean is = NodeReadings.refitCordoned(newer);
    if (!was && is) {
      OSUpdatePolicy policy = fleet.policies().managing(newer);
      String target = policy == null ? null : PolicyReadings.target(policy);
      episodes
          .computeIfAbsent(name, n -> new ArrayList<>())
          .add(
              new Episode(
                  fleet.now(), policy == null ? null : policy.getMetadata().getName(), target));
    } else if (was && !is) {
      List<Episode> spans = episodes.getOrDefault(name, List.of());
      if (!spans.isEmpty() && spans.get(spans.size() - 1).end == null) {
        spans.get(spans.size() - 1).end = fleet.now();
      }
    }
    return List.of();
  }

  /**
   * Whether the policy's target stayed the episode's from a grace before it was seen to begin until
   * {@code until}. A cordon Refit decided under the old target may be seen after an edit (its write
   * landed late, or the node watch delivered it after the policy watch delivered the edit): that
   * episode belongs to the old target, and the node is drained again for the new one.
   */
  private boolean targetHeld(SeenNodes fleet, Episode episode, Instant until) {
    for (Map<String, OSUpdatePolicy> view :
        fleet.policies().between(episode.start.minus(grace), until)) {
      OSUpdatePolicy policy = view.get(episode.policy);
      // before the policy existed it had no other target
      if (policy != null && !episode.target.equals(PolicyReadings.target(policy))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public List<Violation> osNodeGone(String node, SeenNodes fleet) {
    // a person retries the node: what it went through before no longer counts
    List<Episode> spans = episodes.getOrDefault(node, new ArrayList<>());
    spans.removeIf(e -> e.end != null);
    return List.of();
  }

  @Override
  public List<Violation> atEnd(SeenNodes fleet) {
    Map<Episode, Boolean> drained = new HashMap<>();
    for (EvictionDecision eviction : evictions.get()) {
      String node = fleet.podNode(eviction.namespace(), eviction.pod());
      if (!eviction.allowed() || node == null) {
        continue;
      }
      Episode during = null;
      for (Episode episode : episodes.getOrDefault(node, List.of())) {
        if (!episode.start.isAfter(eviction.time().plus(grace))) {
          during = episode;
        }
      }
      if (during != null
          && (during.end == null || !eviction.time().isAfter(during.end.plus(grace)))) {
        drained.put(during, true);
      }
    }
    List<Violation> found = new ArrayList<>();
    episodes.forEach(
        (node, spans) -> {
          // per target, the drained episode later ones are compared with; a target change in
          // between (an edit away and back, or one just before the first cordon) resets the node
          Map<String, Episode> firstDrain = new TreeMap<>();
          java.util.Set<String> reported = new java.util.HashSet<>();
          for (Episode episode : spans) {
            if (episode.target == null || !drained.containsKey(episode)) {
              continue;
            }
            Episode earlier = firstDrain.get(episode.target);
            if (earlier != null
                && targetHeld(fleet, earlier, episode.start)
                && reported.add(episode.target)) {
              found.add(
                  Violation.seen(NAME, node, "drained a second time for target " + episode.target));
            } else if (earlier == null || !targetHeld(fleet, earlier, episode.start)) {
              firstDrain.put(episode.target, episode);
            }
          }
        });
    return found;
  }
}
