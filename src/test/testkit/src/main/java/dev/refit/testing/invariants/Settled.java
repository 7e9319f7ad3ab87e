package dev.refit.testing.invariants;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refit.api.Canary;
import dev.refit.api.HostDeployment;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSTarget;
import dev.refit.api.OSUpdatePolicy;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether the fleet has settled, judged from what a watcher sees — never from the policies' status.
 * The fleet is settled when every live policy is, no node holds an update slot, no node carries
 * Refit's cordon except as docs/design.md ("Failed nodes: one rule") allows, and nothing that
 * decides it has changed for a quiet period ({@link SeenNodes#lastChange()}).
 *
 * <p>A policy is settled when it selects at least one node (by its {@code nodeSelector} against the
 * Nodes' labels, {@link PolicyReadings#managing}) and each node it selects is either
 *
 * <ul>
 *   <li><b>on the target</b>: its agent reports it booted the policy's {@code os} (version or
 *       image) and the revision it was told to run, and the Node is Ready without Refit's cordon;
 *       or
 *   <li><b>given up on</b>: its OSNode records {@code Failed} or {@code Skipped}, the design's
 *       final word on a node for this target until a person deletes the OSNode or the target
 *       changes; or
 *   <li><b>held out</b>: cordoned by someone else or not Ready, so Refit may not start it and it
 *       waits for a person (or its kubelet);
 * </ul>
 *
 * or the rollout cannot start more nodes, and the rest wait: the policy is paused ({@code
 * rollout.paused}), its failed nodes reached {@code failurePolicy.maxFailedNodes}, a drain timed
 * out under {@code onTimeout: Halt}, a canary failed (all three halt it), or every update slot is
 * held by a node that waits for a person or its kubelet (cordoned by someone else, or a failed node
 * that stays NotReady) and none is in flight. A policy being deleted is not settled until it is
 * gone; a policy that selects no node has rolled out nothing and is not settled either.
 */
public final class Settled {

  /** How long nothing may change before the fleet counts as settled. */
  public static final Duration DEFAULT_QUIET = Duration.ofSeconds(3);

  private static final int NAMED = 5;

  /** One policy's verdict, without the quiet period: settled, or what it waits for. */
  public record PolicyVerdict(String policy, boolean settled, String waitingFor) {}

  /** The fleet's verdict, and what it waits for (empty when settled). */
  public record Verdict(boolean settled, List<PolicyVerdict> policies, List<String> waitingFor) {}

  private final Duration quiet;

  /** With {@link #DEFAULT_QUIET}. */
  public Settled() {
    this(DEFAULT_QUIET);
  }

  /** With this quiet period. */
  public Settled(Duration quiet) {
    this.quiet = quiet;
  }

  /** Judges the fleet as last seen, at the watcher's clock. */
  public Verdict judge(SeenNodes fleet) {
    List<String> waiting = new ArrayList<>();
    Map<String, OSUpdatePolicy> policies = fleet.policies().now();
    if (policies.isEmpty()) {
      waiting.add("no policy");
    }
    List<PolicyVerdict> verdicts = new ArrayList<>();
    for (String name : policies.keySet()) {
      PolicyVerdict verdict = policy(name, fleet);
      verdicts.add(verdict);
      if (!verdict.settled()) {
        waiting.add(name + ": " + verdict.waitingFor());
      }
    }
    fleet
        .nodes()
        .forEach(
            (name, node) -> {
              if (PolicyReadings.managing(node, policies.values()) == null) {
                String busy = busy(node, fleet.osNode(name));
                if (busy != null) {
                  waiting.add(name + " " + busy);
                }
              }
            });
    Duration still = Duration.between(fleet.lastChange(), fleet.now());
    if (still.compareTo(quiet) < 0) {
      waiting.add(
          String.format(
              "a change %.1f s ago (quiet period %d s)", seconds(still), quiet.toSeconds()));
    }
    return new Verdict(waiting.isEmpty(), List.copyOf(verdicts), List.copyOf(waiting));
  }

  /** One live policy's verdict from its nodes as last seen, without the quiet period. */
  public static PolicyVerdict policy(String name, SeenNodes fleet) {
    OSUpdatePolicy policy = fleet.policies().get(name);
    if (policy == null) {
      return new PolicyVerdict(name, true, null);
    }
    if (policy.getMetadata().getDeletionTimestamp() != null) {
      return new PolicyVerdict(name, false, "being deleted");
    }
    List<String> members = new ArrayList<>();
    fleet
        .nodes()
        .forEach(
            (node, n) -> {
              if (name.equals(PolicyReadings.managing(n, fleet.policies().now().values()))) {
                members.add(node);
              }
            });
    if (members.isEmpty()) {
      return new PolicyVerdict(name, false, "selects no node");
    }
    List<String> busy = new ArrayList<>();
    List<String> behind = new ArrayList<>();
    int failed = 0;
    boolean drainHalted = false;
    for (String member : members) {
      Node node = fleet.node(member);
      OSNode osNode = fleet.osNode(member);
      String why = busy(node, osNode);
      if (why != null) {
        busy.add(member + " " + why);
      } else if (!onTarget(node, osNode, policy)) {
        NodeState state = osNode == null ? null : osNode.getSpec().getState();
        if (state == NodeState.Failed) {
          failed++;
          // a node that halts the rollout: its drain timed out or could never finish (a budget
          // that allows no eviction), or a gate was not set in time
          drainHalted |=
              List.of(
                      NodeReasons.DRAIN_TIMED_OUT,
                      NodeReasons.UNSATISFIABLE_BUDGET,
                      NodeReasons.GATE_TIMED_OUT)
                  .contains(osNode.getSpec().getReason());
        } else if (state != NodeState.Skipped && !heldOut(node)) {
          behind.add(member);
        }
      }
    }
    if (!busy.isEmpty()) {
      return new PolicyVerdict(name, false, String.join(", ", busy));
    }
    if (behind.isEmpty()
        || paused(policy)
        || drainHalted
        || canaryFailed(policy, members, fleet)
        || failed >= budget(policy, members)
        || slotsHeldForAPerson(policy, members, fleet)) {
      return new PolicyVerdict(name, true, null);
    }
    return new PolicyVerdict(
        name,
        false,
        "not on the target "
            + PolicyReadings.target(policy)
            + ": "
            + String.join(", ", behind.subList(0, Math.min(NAMED, behind.size())))
            + (behind.size() > NAMED ? " and " + (behind.size() - NAMED) + " more" : ""));
  }

  /**
   * Whether a canary of the policy ({@code rollout.canary}) failed, which halts it whatever the
   * failure budget: a failed member the canary selector selects, or, with canaries by count, a
   * failed member while no more members than that count were ever disrupted for the target (every
   * node Refit disrupted is a canary until the canaries passed).
   */
  static boolean canaryFailed(OSUpdatePolicy policy, List<String> members, SeenNodes fleet) {
    Canary canary = policy.getSpec().getRollout().getCanary();
    if (canary == null) {
      return false;
    }
    // a target change sends every failed and updated node back to Pending, so what is recorded
    // is for the current target
    List<String> failed = new ArrayList<>();
    int disrupted = 0;
    for (String member : members) {
      OSNode osNode = fleet.osNode(member);
      if (osNode == null) {
        continue;
      }
      NodeState state = osNode.getSpec().getState();
      if (state == NodeState.Failed) {
        failed.add(member);
        disrupted++;
      } else if (NodeReasons.UPDATED.equals(osNode.getSpec().getReason())) {
        disrupted++;
      }
    }
    if (failed.isEmpty()) {
      return false;
    }
    if (canary.getNodeSelector() != null) {
      JsonNode selector =
          PolicyReadings.spec(policy).path("rollout").path("canary").path("nodeSelector");
      return failed.stream()
          .map(fleet::node)
          .anyMatch(
              n ->
                  n != null
                      && PolicyReadings.matches(
                          selector,
                          n.getMetadata().getLabels() == null
                              ? Map.of()
                              : n.getMetadata().getLabels()));
    }
    return canary.getCount() != null && disrupted <= canary.getCount();
  }

  /**
   * Whether every update slot of the policy is held by a node that waits for a person or its
   * kubelet, not for Refit: at least {@code maxUnavailable} of its members are out of service
   * (cordoned by anyone, or not Ready) and none of them is in flight (its OSNode holds no slot), so
   * nothing starts until one comes back. (A member in flight keeps the policy busy anyway.)
   */
  static boolean slotsHeldForAPerson(OSUpdatePolicy policy, List<String> members, SeenNodes fleet) {
    long out =
        members.stream()
            .map(fleet::node)
            .filter(n -> n != null && NodeReadings.outOfService(n))
            .count();
    return out > 0
        && out >= MaxUnavailable.limit(policy.getSpec().getMaxUnavailable(), members.size());
  }

  /**
   * A node Refit may not start: cordoned by someone else, or not Ready. It waits for a person (or
   * its kubelet), not for Refit, so it does not keep its policy from settling.
   */
  static boolean heldOut(Node node) {
    return node != null
        && ((NodeReadings.outOfService(node) && !NodeReadings.refitCordoned(node))
            || !NodeReadings.ready(node));
  }

  /**
   * Why a node keeps the fleet from settling whatever its policy: it holds an update slot, or
   * carries Refit's cordon where the design would lift it; or null.
   */
  static String busy(Node node, OSNode osNode) {
    NodeState state = osNode == null ? null : osNode.getSpec().getState();
    if (state != null && state.occupiesSlot()) {
      return "holds an update slot (" + state + ")";
    }
    if (NodeReadings.refitCordoned(node)
        && !(state == NodeState.Failed
            && (!NodeReadings.ready(node) || NoNodeLeftCordoned.keptOnPurpose(node, osNode)))) {
      return "is cordoned by Refit (" + state + ")";
    }
    return null;
  }

  /**
   * The host runs the policy's target, by its agent's report: it booted the policy's {@code os} and
   * reports as current the revision its work order names (which covers SELinux settings); and the
   * Node is Ready without Refit's cordon.
   */
  static boolean onTarget(Node node, OSNode osNode, OSUpdatePolicy policy) {
    if (osNode == null || osNode.getStatus() == null || osNode.getStatus().getBooted() == null) {
      return false;
    }
    OSTarget target = policy.getSpec().getOs();
    HostDeployment booted = osNode.getStatus().getBooted();
    boolean bootedTarget =
        target != null
            && (target.getVersion() != null
                ? target.getVersion().equals(booted.getVersion())
                : target.getImage() != null && target.getImage().equals(booted.getImage()));
    return bootedTarget
        && osNode.getStatus().getCurrentRevision() != null
        && Objects.equals(
            osNode.getStatus().getCurrentRevision(), osNode.getSpec().getDesiredRevision())
        && NodeReadings.ready(node)
        && !NodeReadings.refitCordoned(node);
  }

  /** Whether the policy's spec pauses the rollout. */
  static boolean paused(OSUpdatePolicy policy) {
    return policy.getSpec().getRollout() != null
        && Boolean.TRUE.equals(policy.getSpec().getRollout().getPaused());
  }

  /**
   * The failed nodes that halt the policy, as the API defines {@code failurePolicy.maxFailedNodes}:
   * an integer, or a percentage of its nodes rounded up; at least 1 (1 when unset).
   */
  static int budget(OSUpdatePolicy policy, List<String> members) {
    IntOrString value =
        policy.getSpec().getFailurePolicy() == null
            ? null
            : policy.getSpec().getFailurePolicy().getMaxFailedNodes();
    if (value == null) {
      return 1;
    }
    if (value.getIntVal() != null) {
      return Math.max(1, value.getIntVal());
    }
    int percent = Integer.parseInt(value.getStrVal().replace("%", "").trim());
    return Math.max(1, (int) Math.ceil(members.size() * percent / 100.0));
  }

  /** What decides whether an OSNode is settled, as one comparable line. */
  static String facts(OSNode osNode) {
    var spec = osNode.getSpec();
    var status = osNode.getStatus();
    String reported =
        status == null
            ? "-"
            : deployment(status.getBooted())
                + "/"
                + status.getCurrentRevision()
                + "/"
                + status.getObservedActionId()
                + "/"
                + status.getActionState()
                + "/"
                + status.getBootId();
    return spec.getState()
        + "/"
        + spec.getReason()
        + "/"
        + spec.getDesiredRevision()
        + "/"
        + spec.getAction()
        + "/"
        + spec.getActionId()
        + "|"
        + reported;
  }

  private static String deployment(HostDeployment deployment) {
    return deployment == null ? "-" : deployment.getVersion() + "@" + deployment.getImage();
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
