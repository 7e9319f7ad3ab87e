package dev.refit.operator.plan;

import dev.refit.api.CanaryStatus;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.PolicyReasons;
import dev.refit.api.Selector;
import dev.refit.operator.lifecycle.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The canary phase of a rollout ({@code spec.rollout.canary}), as a pure function of the round:
 * which nodes are the canaries of the current target, and whether the rest of the fleet may start.
 *
 * <p>Nothing is remembered outside the OSNodes: the canaries are recomputed every round from the
 * nodes' recorded states, so a new leader sees the same phase. A node that already ran the target
 * before this rollout touched it (up to date, not {@code Updated}) is never a canary. By count, the
 * canaries are the first nodes in rollout order among the rest, skipping nodes whose drain was
 * skipped; by selector, every selected node among the rest.
 *
 * <p>The phase passes once every canary is {@code Updated} and the soak, counted from the last
 * canary's update, is over. Until then a canary that goes NotReady or fails its health check is
 * failed ({@link NodeReasons#CANARY_UNHEALTHY}), and a failed (or, chosen by selector, skipped)
 * canary halts the rollout whatever the failure budget.
 */
public final class Canaries {
  private Canaries() {}

  /**
   * The policy's canary settings.
   *
   * @param count how many canaries, or null when chosen by selector
   * @param selector the canaries' node selector, or null when chosen by count
   * @param soak how long the updated canaries are watched before the rest starts
   */
  public record Settings(Integer count, Selector selector, Duration soak) {}

  /** Where the canary phase stands. */
  public enum Stage {
    /** Canaries are staging, updating or verifying; only they may start. */
    UPDATING(CanaryStatus.UPDATING),
    /** Every canary is updated; the rest waits for the soak to end. */
    SOAKING(CanaryStatus.SOAKING),
    /** The rest of the fleet may start. */
    PASSED(CanaryStatus.PASSED),
    /** A canary failed: the rollout is halted. */
    FAILED(CanaryStatus.FAILED),
    /** The selector selects none of the policy's nodes: nothing starts. */
    NONE_SELECTED(CanaryStatus.NO_CANARIES);

    private final String phase;

    Stage(String phase) {
      this.phase = phase;
    }

    /** As {@code status.canary.phase} spells it. */
    public String phase() {
      return phase;
    }
  }

  /**
   * The phase this round.
   *
   * @param stage where it stands
   * @param nodes the canaries, in rollout order
   * @param soakEnds when the soak ends, once every canary is updated; else null
   * @param halt why the rollout is halted, when a canary failed; else null
   * @param hold why nothing starts, when the selector selects no node; else null
   */
  public record Phase(Stage stage, List<String> nodes, Instant soakEnds, Halt halt, String hold) {

    /** Whether the node may be given a slot now, as far as the canary phase is concerned. */
    public boolean mayStart(String node) {
      return stage == Stage.PASSED || stage == Stage.UPDATING && nodes.contains(node);
    }

    /** Whether the rest of the fleet waits on the canaries (updating or soaking). */
    public boolean active() {
      return stage == Stage.UPDATING || stage == Stage.SOAKING;
    }

    /** Whether the canaries are watched for health now: the phase has not passed. */
    boolean watching() {
      return stage == Stage.UPDATING || stage == Stage.SOAKING;
    }
  }

  /** The canaries' phase from the nodes' steps of this round; null when there are no canaries. */
  static Phase phase(
      Settings settings,
      List<Round.NodeResult> nodes,
      Round.Order order,
      String target,
      Instant now) {
    if (settings == null) {
      return null;
    }
    List<Round.NodeResult> canaries = canaries(settings, nodes, order, target);
    List<String> names = canaries.stream().map(Round.NodeResult::name).toList();
    if (canaries.isEmpty()) {
      if (settings.selector() != null && nodes.stream().noneMatch(n -> selected(settings, n))) {
        return new Phase(
            Stage.NONE_SELECTED,
            names,
            null,
            null,
            "spec.rollout.canary.nodeSelector selects none of the policy's "
                + nodes.size()
                + " nodes; no node starts until it selects at least one, or the canary is"
                + " removed");
      }
      // every candidate already runs the target: there is nothing to try first
      return new Phase(Stage.PASSED, names, null, null, null);
    }
    for (Round.NodeResult canary : canaries) {
      Decision last = canary.last();
      if (last.state() == NodeState.Failed || last.state() == NodeState.Skipped) {
        return new Phase(Stage.FAILED, names, null, failed(canary), null);
      }
    }
    if (!canaries.stream().allMatch(c -> updated(c.last(), target))) {
      return new Phase(Stage.UPDATING, names, null, null, null);
    }
    Instant lastUpdate =
        canaries.stream().map(c -> c.last().since()).max(Comparator.naturalOrder()).orElseThrow();
    Instant soakEnds = lastUpdate.plus(settings.soak());
    return new Phase(
        now.isBefore(soakEnds) ? Stage.SOAKING : Stage.PASSED, names, soakEnds, null, null);
  }

  private static List<Round.NodeResult> canaries(
      Settings settings, List<Round.NodeResult> nodes, Round.Order order, String target) {
    List<Round.NodeResult> sorted =
        nodes.stream()
            .sorted(
                Comparator.comparing(
                        (Round.NodeResult n) -> order.group(n.input().node()), NodeOrder.NATURAL)
                    .thenComparing(Round.NodeResult::name, NodeOrder.NATURAL))
            .toList();
    List<Round.NodeResult> canaries = new ArrayList<>();
    for (Round.NodeResult node : sorted) {
      Decision last = node.last();
      if (last.state() == NodeState.UpToDate
          && target.equals(last.revision())
          && !NodeReasons.UPDATED.equals(last.reason())) {
        continue;
      }
      if (settings.selector() != null) {
        if (selected(settings, node)) {
          canaries.add(node);
        }
      } else if (last.state() != NodeState.Skipped && canaries.size() < settings.count()) {
        canaries.add(node);
      }
    }
    return canaries;
  }

  private static boolean selected(Settings settings, Round.NodeResult node) {
    return settings.selector().matches(node.input().node().getMetadata().getLabels());
  }

  /** A canary that reached the target through an update. */
  static boolean updated(Decision last, String target) {
    return last.state() == NodeState.UpToDate
        && NodeReasons.UPDATED.equals(last.reason())
        && target.equals(last.revision());
  }

  private static Halt failed(Round.NodeResult canary) {
    Decision last = canary.last();
    String what = last.state() == NodeState.Skipped ? "was skipped" : "failed";
    return new Halt(
        PolicyReasons.CANARY_FAILED,
        "halted: canary "
            + canary.name()
            + " "
            + what
            + " ("
            + last.reason()
            + "); no other node is updated. Delete its OSNode to try it again, or change the"
            + " target");
  }
}
