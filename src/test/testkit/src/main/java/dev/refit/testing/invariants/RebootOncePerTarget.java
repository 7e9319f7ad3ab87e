package dev.refit.testing.invariants;

import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code rebootOncePerTarget}: a node Refit manages boots (its {@code status.nodeInfo.bootID}
 * changes) at most once per target — a {@code spec.os} the policy that manages it had from when
 * Refit cordoned it for this boot (or up to the grace period before) until the boot, the oldest not
 * booted for yet (a node already rebooting when its target is edited boots for the old one, and
 * once more for the new, under the same cordon or a new one), or its target when it boots if the
 * watcher never saw that cordon set — and only once drained: it carried Refit's cordon just before,
 * and no pod the policy's drain must remove ({@link PolicyReadings#drainRemoves}: not a mirror or
 * DaemonSet pod, not kept by {@code drain.podSelector}, not finished; a terminating pod has not
 * left yet) was still bound to it. A new target allows a new boot; a node no policy manages is not
 * judged.
 *
 * <p>What the design allows: the boot of a rollback (its OSNode last seen {@code RollingBack})
 * boots the old OS again and is not counted; deleting a node's OSNode (a person retries it) starts
 * its count afresh. Under {@code drain.onTimeout: Skip} the node is not rebooted at all, so any
 * boot of a skipped node without a drain is caught by the same rule; under {@code Force} the
 * remaining pods are deleted before the reboot.
 *
 * <p>Which pods were left is judged only when the watcher feeds pods ({@link #afterDrains}). The
 * pod watch and the Node watch are separate streams, so a pod deleted within the grace period after
 * the boot was seen counts as gone before it; and one the pod watch first showed bound in a version
 * newer than the Node version that reported the boot was bound after the boot ({@link
 * SeenNodes#boundAfter}: the pod watch ran ahead, and the scheduler had already put a new pod on
 * the node Refit had updated and uncordoned), so it does not count however far the Node watch lags.
 */
public final class RebootOncePerTarget implements Invariant {

  public static final String NAME = Violation.REBOOT_ONCE_PER_TARGET;

  /** A boot whose node still had pods bound that the drain must remove. */
  private record Boot(String node, Instant at, Set<String> podsLeft) {}

  private final boolean podsWatched;
  private final Duration grace;
  private final Map<String, Set<String>> bootedFor = new HashMap<>();
  private final Map<String, Instant> cordonedAt = new HashMap<>();
  private final List<Boot> unsettled = new ArrayList<>();

  private RebootOncePerTarget(boolean podsWatched, Duration grace) {
    this.podsWatched = podsWatched;
    this.grace = grace;
  }

  /** Judges boots and cordons, not pods: for a watcher that does not watch pods. */
  public static RebootOncePerTarget ofBoots() {
    return new RebootOncePerTarget(false, MaxUnavailable.DEFAULT_GRACE);
  }

  /** Judges also that no pod the drain must remove was left: the watcher feeds every pod. */
  public static RebootOncePerTarget afterDrains() {
    return afterDrains(MaxUnavailable.DEFAULT_GRACE);
  }

  /** As {@link #afterDrains()}, forgiving pods gone within this long after the boot was seen. */
  public static RebootOncePerTarget afterDrains(Duration grace) {
    return new RebootOncePerTarget(true, grace);
  }

  @Override
  public List<Violation> nodeSeen(Node older, Node newer, SeenNodes fleet) {
    List<Violation> found = due(fleet, false);
    if (older != null && !NodeReadings.refitCordoned(older) && NodeReadings.refitCordoned(newer)) {
      cordonedAt.put(newer.getMetadata().getName(), fleet.now());
    }
    String before = older == null ? null : NodeReadings.bootId(older);
    String after = NodeReadings.bootId(newer);
    OSUpdatePolicy policy = fleet.policies().managing(newer);
    if (before == null || after == null || before.equals(after) || policy == null) {
      return found;
    }
    String name = newer.getMetadata().getName();
    String target = PolicyReadings.target(policy);
    boolean rollback = fleet.state(name) == NodeState.RollingBack;
    if (!rollback) {
      Set<String> booted = bootedFor.computeIfAbsent(name, n -> new HashSet<>());
      Instant cordoned = cordonedAt.get(name);
      Set<String> candidates =
          cordoned == null ? Set.of() : targets(newer, fleet, cordoned.minus(grace));
      String bootedTarget =
          candidates.stream()
              .filter(t -> !booted.contains(t))
              .findFirst()
              .orElse(
                  candidates.isEmpty() || candidates.contains(target)
                      ? target
                      : candidates.iterator().next());
      if (!booted.add(bootedTarget)) {
        found.add(Violation.seen(NAME, name, "booted a second time for target " + bootedTarget));
      }
    }
    if (!NodeReadings.refitCordoned(older)) {
      found.add(
          Violation.seen(NAME, name, "booted without Refit's cordon (target " + target + ")"));
    }
    if (podsWatched) {
      Set<String> left = new TreeSet<>();
      fleet.podsOn(name).stream()
          .filter(p -> PolicyReadings.drainRemoves(p, policy))
          // bound after the Node reported the boot: the pod watch, ahead of the Node watch,
          // already shows a pod the scheduler placed once the node was back and uncordoned
          .filter(p -> !fleet.boundAfter(p, newer))
          .forEach(p -> left.add(SeenNodes.key(p)));
      if (!left.isEmpty()) {
        unsettled.add(new Boot(name, fleet.now(), left));
      }
    }
    return found;
  }

  /**
   * The node's targets as the policies stood from this moment until now, oldest first: what a boot
   * under a cordon set then may be for.
   */
  private static Set<String> targets(Node node, SeenNodes fleet, Instant from) {
    Set<String> targets = new LinkedHashSet<>();
    for (Map<String, OSUpdatePolicy> view : fleet.policies().since(from)) {
      String policy = PolicyReadings.managing(node, view.values());
      if (policy != null) {
        targets.add(PolicyReadings.target(view.get(policy)));
      }
    }
    return targets;
  }

  @Override
  public List<Violation> podSeen(Pod older, Pod newer, SeenNodes fleet) {
    return due(fleet, false);
  }

  @Override
  public List<Violation> podGone(Pod last, SeenNodes fleet) {
    String key = SeenNodes.key(last);
    Instant now = fleet.now();
    for (Boot boot : unsettled) {
      if (!now.isAfter(boot.at().plus(grace))) {
        boot.podsLeft().remove(key);
      }
    }
    return due(fleet, false);
  }

  @Override
  public List<Violation> osNodeGone(String node, SeenNodes fleet) {
    bootedFor.remove(node);
    return List.of();
  }

  @Override
  public List<Violation> atEnd(SeenNodes fleet) {
    return due(fleet, true);
  }

  /** The boots whose grace has passed (or all, at the end), judged by the pods still left. */
  private List<Violation> due(SeenNodes fleet, boolean all) {
    List<Violation> found = new ArrayList<>();
    Instant now = fleet.now();
    for (Iterator<Boot> it = unsettled.iterator(); it.hasNext(); ) {
      Boot boot = it.next();
      if (all || now.isAfter(boot.at().plus(grace)) || boot.podsLeft().isEmpty()) {
        it.remove();
        if (!boot.podsLeft().isEmpty()) {
          found.add(
              Violation.seen(
                  NAME,
                  boot.node(),
                  "booted before its drain finished: "
                      + String.join(", ", boot.podsLeft())
                      + " still on it"));
        }
      }
    }
    return found;
  }

  @Override
  public String toString() {
    return NAME + (podsWatched ? " (after drains)" : "");
  }
}
