package dev.refit.operator.plan;

import dev.refit.api.ActionState;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.RefitApi;
import dev.refit.operator.lifecycle.AgentReport;
import dev.refit.operator.lifecycle.Decision;
import dev.refit.operator.lifecycle.Lifecycle;
import dev.refit.operator.lifecycle.NodeFacts;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What deleting a policy takes, decided from what was seen: which of its nodes must be let finish
 * (a reboot that may be under way), which are stopped at once (drain cancelled, instruction
 * withdrawn, OSNode deleted, Refit's cordon lifted), and which other Nodes still carry this
 * policy's cordon. Nothing new ever starts: no node is given a slot, and a node that leaves its
 * reboot is not taken further.
 */
public final class Teardown {

  /** States in which the agent was told to apply and the host may be going down right now. */
  private static final Set<NodeState> FINISHING =
      EnumSet.of(NodeState.Rebooting, NodeState.Verifying, NodeState.Applying);

  /**
   * A node the deletion waits for.
   *
   * @param result its round, as the lifecycle takes it on without a slot
   * @param why what it waits for, as a person reads it after "waiting for w-3 "
   */
  public record Waiting(Round.NodeResult result, String why) {
    public String name() {
      return result.name();
    }
  }

  /**
   * The deletion's next step.
   *
   * @param waiting nodes to let finish before their OSNodes go and their cordons are lifted
   * @param revoked nodes to stop now: their OSNodes are deleted and Refit's cordon lifted
   * @param strayCordons other Nodes that carry this policy's cordon, to uncordon now
   * @param cordonsLeft how many of the waiting nodes carry this policy's cordon
   * @param wakeAt when the first waiting node's deadline passes, or null when none waits
   */
  public record Result(
      List<Waiting> waiting,
      List<Round.NodeInput> revoked,
      List<Node> strayCordons,
      int cordonsLeft,
      Instant wakeAt) {

    /** Whether the deletion waits for nothing: once this round is applied, the policy may go. */
    public boolean done() {
      return waiting.isEmpty();
    }
  }

  private Teardown() {}

  /**
   * Decides the deletion of {@code policy} at {@code now}.
   *
   * @param settings the policy's settings (only its timeouts matter here)
   * @param ours the policy's OSNodes whose Nodes exist, as round inputs
   * @param nodes every Node (for cordons of this policy on nodes it holds no OSNode of)
   */
  public static Result plan(
      String policy,
      Round.Settings settings,
      List<Round.NodeInput> ours,
      List<Node> nodes,
      Instant now) {
    List<Waiting> waiting = new ArrayList<>();
    List<Round.NodeInput> revoked = new ArrayList<>();
    Instant wakeAt = null;
    int cordonsLeft = 0;
    for (Round.NodeInput input : ours) {
      NodeFacts facts = Round.facts(input, own(settings, input), false, now);
      Waiting wait = waitFor(facts, input, now);
      if (wait == null) {
        revoked.add(input);
        continue;
      }
      waiting.add(wait);
      cordonsLeft += cordonedBy(policy, input.node()) ? 1 : 0;
      Instant deadline = deadline(facts, wait.result().last());
      if (deadline != null && (wakeAt == null || deadline.isBefore(wakeAt))) {
        wakeAt = deadline;
      }
    }
    Set<String> held = new HashSet<>();
    ours.forEach(i -> held.add(i.name()));
    List<Node> stray =
        nodes.stream()
            .filter(n -> !held.contains(n.getMetadata().getName()) && cordonedBy(policy, n))
            .toList();
    return new Result(waiting, revoked, stray, cordonsLeft, wakeAt);
  }

  /**
   * The node's wait, or null when it is stopped now. A node told to apply is let finish (its own
   * reboot and Ready deadlines bound the wait); one whose agent prepared a reboot that it has not
   * settled yet keeps its OSNode until the agent settles it or a reboot timeout passes, so the host
   * does not go down after its cordon is lifted.
   */
  private static Waiting waitFor(NodeFacts facts, Round.NodeInput input, Instant now) {
    if (FINISHING.contains(facts.state())) {
      List<Decision> steps = Lifecycle.settle(facts);
      Decision last = steps.get(steps.size() - 1);
      Round.NodeResult result = new Round.NodeResult(input, facts, steps);
      if (FINISHING.contains(last.state()) && !NodeReasons.HOST_REFUSED.equals(last.reason())) {
        return new Waiting(
            result,
            last.state() == NodeState.Rebooting
                ? "to finish its reboot"
                : "to be Ready and healthy on its new OS");
      }
      if (unsettledReboot(facts) && now.isBefore(last.since().plus(facts.timeouts().reboot()))) {
        return new Waiting(result, "(its agent to settle the reboot it prepared)");
      }
      return null;
    }
    if (unsettledReboot(facts) && now.isBefore(facts.since().plus(facts.timeouts().reboot()))) {
      return new Waiting(
          new Round.NodeResult(input, facts, Lifecycle.settle(facts)),
          "(its agent to settle the reboot it prepared)");
    }
    return null;
  }

  /** When the node's wait ends at the latest, if nothing happens before. */
  private static Instant deadline(NodeFacts facts, Decision last) {
    if (last.wakeAt() != null) {
      return last.wakeAt();
    }
    return last.since().plus(facts.timeouts().reboot());
  }

  /** The agent recorded the boot ID for a reboot in the boot the host still runs. */
  private static boolean unsettledReboot(NodeFacts facts) {
    AgentReport agent = facts.agent();
    return agent.actionState() == ActionState.Running
        && agent.bootIdBeforeAction() != null
        && agent.bootIdBeforeAction().equals(facts.node().bootId());
  }

  /**
   * The settings with the node's own recorded revision as the target, so a node that finishes its
   * reboot stops there instead of being sent after a newer target.
   */
  private static Round.Settings own(Round.Settings s, Round.NodeInput input) {
    String revision =
        input.osNode() == null || input.osNode().getSpec() == null
            ? s.targetRevision()
            : input.osNode().getSpec().getDesiredRevision();
    return s.toBuilder()
        .targetRevision(revision == null ? s.targetRevision() : revision)
        .canary(null)
        .healthQuery(null)
        .build();
  }

  /** Whether the Node carries this policy's cordon (a cordon anyone else set never does). */
  public static boolean cordonedBy(String policy, Node node) {
    Map<String, String> annotations = node.getMetadata().getAnnotations();
    return annotations != null
        && policy.equals(annotations.get(RefitApi.CORDONED_ANNOTATION))
        && Boolean.TRUE.equals(node.getSpec() == null ? null : node.getSpec().getUnschedulable());
  }
}
