package dev.refit.operator.plan;

import dev.refit.api.GateTimeout;
import dev.refit.api.Gates;
import dev.refit.api.NodeAction;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.Nodes;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OnTimeout;
import dev.refit.operator.lifecycle.AgentReport;
import dev.refit.operator.lifecycle.Decision;
import dev.refit.operator.lifecycle.DrainProgress;
import dev.refit.operator.lifecycle.GateFacts;
import dev.refit.operator.lifecycle.Lifecycle;
import dev.refit.operator.lifecycle.NodeFacts;
import dev.refit.operator.lifecycle.NodeFacts.NodeView;
import dev.refit.operator.lifecycle.NodeFacts.Timeouts;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One planning round for one policy, as a pure function: every managed node takes the steps it can
 * take on its own, the planner hands out free disruption slots, and the nodes that got one take
 * their next steps. The caller applies the result (OSNode specs, cordons, drains) and can recompute
 * it from the API at any time.
 */
public final class Round {

  /**
   * What the operator knows about one managed node.
   *
   * @param node the Node
   * @param osNode its OSNode, or null when it has none yet
   * @param drain how its drain is going
   * @param healthy whether its health checks pass
   * @param blocker what blocks its drain now, or null
   */
  public record NodeInput(
      Node node, OSNode osNode, DrainProgress drain, boolean healthy, Blocker blocker) {

    public NodeInput(Node node, OSNode osNode, DrainProgress drain, boolean healthy) {
      this(node, osNode, drain, healthy, null);
    }

    public String name() {
      return node.getMetadata().getName();
    }
  }

  /**
   * The policy's side of the round.
   *
   * @param targetRevision the revision the policy wants
   * @param timeouts phase timeouts
   * @param onTimeout what a timed-out drain does
   * @param maxUnavailable resolved maxUnavailable
   * @param maxFailed resolved failure budget
   * @param hold why no node may start now (paused, spec problem), or null
   * @param order the order nodes are taken in
   * @param soak how long a verified node keeps its slot
   * @param maxUnhealthy resolved failurePolicy.maxUnhealthy, or -1 for no such limit
   * @param canary the canaries and their soak, or null when the policy has none
   * @param healthQuery the policy's Prometheus check and its last answer, or null when it has none
   * @param gates the policy's gates (spec.gates), or null when it has none
   * @param autoRollback whether nodes that fail their verification on the target are rolled back
   */
  public record Settings(
      String targetRevision,
      Timeouts timeouts,
      OnTimeout onTimeout,
      int maxUnavailable,
      int maxFailed,
      String hold,
      Order order,
      Duration soak,
      int maxUnhealthy,
      Canaries.Settings canary,
      HealthQuery healthQuery,
      Gates gates,
      boolean autoRollback) {

    /**
     * Settings for the target with the given phase timeouts, and otherwise the API's defaults: a
     * timed-out drain halts, one slot, one failure halts, the default order, no soak, no limit on
     * unhealthy nodes, no canaries, no Prometheus check, no gates, no rollback.
     */
    public static Builder builder(String targetRevision, Timeouts timeouts) {
      return new Builder(
          new Settings(
              targetRevision,
              timeouts,
              OnTimeout.Halt,
              1,
              1,
              null,
              Order.DEFAULT,
              Duration.ZERO,
              -1,
              null,
              null,
              null,
              false));
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    /** Builds {@link Settings} one field at a time. */
    public static final class Builder {
      private String targetRevision;
      private Timeouts timeouts;
      private OnTimeout onTimeout;
      private int maxUnavailable;
      private int maxFailed;
      private String hold;
      private Order order;
      private Duration soak;
      private int maxUnhealthy;
      private Canaries.Settings canary;
      private HealthQuery healthQuery;
      private Gates gates;
      private boolean autoRollback;

      private Builder(Settings from) {
        targetRevision = from.targetRevision;
        timeouts = from.timeouts;
        onTimeout = from.onTimeout;
        maxUnavailable = from.maxUnavailable;
        maxFailed = from.maxFailed;
        hold = from.hold;
        order = from.order;
        soak = from.soak;
        maxUnhealthy = from.maxUnhealthy;
        canary = from.canary;
        healthQuery = from.healthQuery;
        gates = from.gates;
        autoRollback = from.autoRollback;
      }

      public Builder targetRevision(String value) {
        targetRevision = value;
        return this;
      }

      public Builder onTimeout(OnTimeout value) {
        onTimeout = value;
        return this;
      }

      public Builder maxUnavailable(int value) {
        maxUnavailable = value;
        return this;
      }

      public Builder maxFailed(int value) {
        maxFailed = value;
        return this;
      }

      /** Why no node may start now, or null. */
      public Builder hold(String value) {
        hold = value;
        return this;
      }

      public Builder order(Order value) {
        order = value;
        return this;
      }

      public Builder soak(Duration value) {
        soak = value;
        return this;
      }

      /** The resolved failurePolicy.maxUnhealthy, or -1 for no such limit. */
      public Builder maxUnhealthy(int value) {
        maxUnhealthy = value;
        return this;
      }

      /** The canaries and their soak, or null for none. */
      public Builder canary(Canaries.Settings value) {
        canary = value;
        return this;
      }

      /** The Prometheus check and its last answer, or null for none. */
      public Builder healthQuery(HealthQuery value) {
        healthQuery = value;
        return this;
      }

      /** The policy's gates, or null for none. */
      public Builder gates(Gates value) {
        gates = value;
        return this;
      }

      public Builder autoRollback(boolean value) {
        autoRollback = value;
        return this;
      }

      public Settings build() {
        return new Settings(
            targetRevision,
            timeouts,
            onTimeout,
            maxUnavailable,
            maxFailed,
            hold,
            order,
            soak,
            maxUnhealthy,
            canary,
            healthQuery,
            gates,
            autoRollback);
      }
    }
  }

  /**
   * The order nodes are taken in.
   *
   * @param zoneLabel the label naming a node's zone
   * @param zoneByZone finish a zone before starting the next
   * @param controlPlaneLast take control-plane nodes after all others
   * @param operatorNode the node the operator runs on, taken last, or null
   */
  public record Order(
      String zoneLabel, boolean zoneByZone, boolean controlPlaneLast, String operatorNode) {
    public static final Order DEFAULT = new Order(null, false, true, null);

    /** The node's group: its tier (others, control plane, the operator's node) and zone. */
    String group(Node node) {
      Map<String, String> labels =
          node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
      int tier = 0;
      if (node.getMetadata().getName().equals(operatorNode)) {
        tier = 2;
      } else if (controlPlaneLast
          && (labels.containsKey(CONTROL_PLANE_LABEL) || labels.containsKey(MASTER_LABEL))) {
        tier = 1;
      }
      String zone = zoneByZone ? labels.getOrDefault(zoneLabel, "~") : "";
      return tier + "/" + zone;
    }
  }

  static final String CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";
  static final String MASTER_LABEL = "node-role.kubernetes.io/master";

  /**
   * One node's round: the facts it started from and the steps it took (never empty).
   *
   * @param input what the operator knew
   * @param facts the facts as the lifecycle saw them first
   * @param steps the steps, the last one is where the node is now
   */
  public record NodeResult(NodeInput input, NodeFacts facts, List<Decision> steps) {
    public Decision last() {
      return steps.get(steps.size() - 1);
    }

    public String name() {
      return input.name();
    }

    /**
     * Whether the round cordons this node for its drain: a disruption that starts now (the node may
     * have finished staging in this same round).
     */
    public boolean cordonsNow() {
      return !facts.state().occupiesSlot()
          && steps.stream().anyMatch(d -> d.state() == NodeState.Cordoned);
    }

    /** Whether the OSNode's spec must be written (it has none yet, or the node moved). */
    public boolean changed() {
      Decision d = last();
      return input.osNode() == null
          || d.state() != facts.state()
          // a start taken back: its facts say Staged, its OSNode still the state to undo
          || input.osNode().getSpec() != null && d.state() != input.osNode().getSpec().getState()
          || !Objects.equals(d.revision(), facts.revision())
          || d.action() != facts.action()
          || !Objects.equals(d.actionId(), facts.actionId())
          || !Objects.equals(d.reason(), facts.reason())
          || d.attempts() != facts.attempts();
    }
  }

  /**
   * The round: the settings it was planned with, every node's result, and the plan.
   *
   * @param heldByQuery whether the Prometheus check kept nodes from starting that could have
   * @param askQuery whether Prometheus must be asked (again) before they can
   * @param waitsForApi whether the round's hold is an answer the API server did not give (a read
   *     its starts need), which the operator asks for again by itself
   */
  public record Result(
      Settings settings,
      List<NodeResult> nodes,
      Plan plan,
      boolean heldByQuery,
      boolean askQuery,
      boolean waitsForApi) {

    public Result(Settings settings, List<NodeResult> nodes, Plan plan) {
      this(settings, nodes, plan, false, false, false);
    }

    /** This round, its hold being an answer the API server did not give. */
    public Result waitingForApi() {
      return new Result(settings, nodes, plan, heldByQuery, askQuery, true);
    }
  }

  private Round() {}

  public static Result round(Settings settings, List<NodeInput> inputs, Instant now) {
    return round(settings, inputs, now, Map.of());
  }

  /**
   * The round, knowing of some staged nodes that their drain could never finish ({@code
   * undrainable}: node name to the budgets that can never allow an eviction of its pods, as checked
   * before their cordon). Under {@code drain.onTimeout} Halt or Skip such a node is failed or
   * skipped without being cordoned, and does not compete for a slot.
   */
  public static Result round(
      Settings settings, List<NodeInput> inputs, Instant now, Map<String, String> undrainable) {
    List<NodeResult> first = new ArrayList<>();
    for (NodeInput input : inputs) {
      NodeFacts facts = facts(input, settings, false, now);
      if (facts.startNotLanded()) {
        // its cordon never landed: it competes for a slot again, on this round's view
        facts = facts.withdrawn();
      }
      List<Decision> steps = blamed(input, Lifecycle.settle(facts));
      String budgets = undrainable.get(input.name());
      Decision last = steps.get(steps.size() - 1);
      if (budgets != null
          && last.state() == NodeState.Staged
          && settings.onTimeout() != OnTimeout.Force) {
        steps = new ArrayList<>(steps);
        steps.add(Lifecycle.unsatisfiableBudget(facts.after(last), budgets));
      }
      first.add(new NodeResult(input, facts, steps));
    }
    Canaries.Phase canary =
        Canaries.phase(settings.canary(), first, settings.order(), settings.targetRevision(), now);
    if (canary != null && canary.watching()) {
      first = watched(first, canary, settings.targetRevision());
      canary =
          Canaries.phase(
              settings.canary(), first, settings.order(), settings.targetRevision(), now);
    }
    String hold = settings.hold();
    if (hold == null && canary != null) {
      hold = canary.hold();
    }
    if (hold == null) {
      hold = unhealthyHold(first, settings);
    }
    List<Planner.Candidate> candidates =
        first.stream().map(r -> candidate(r, settings, now)).toList();
    Plan plan =
        Planner.plan(candidates, settings.maxUnavailable(), settings.maxFailed(), hold, canary);
    // the Prometheus check is asked only when a node would start: it holds those starts unless
    // its last answer is recent and has no series
    HealthQuery query = settings.healthQuery();
    boolean heldByQuery = query != null && !plan.granted().isEmpty() && !query.clears(now);
    if (heldByQuery) {
      plan =
          Planner.plan(
              candidates, settings.maxUnavailable(), settings.maxFailed(), query.hold(), canary);
    }
    List<NodeResult> results = new ArrayList<>();
    for (NodeResult result : first) {
      if (!plan.granted().contains(result.name())) {
        results.add(result);
        continue;
      }
      NodeFacts granted = result.facts().granted(result.last());
      List<Decision> steps = new ArrayList<>(result.steps());
      steps.addAll(Lifecycle.settle(granted));
      results.add(new NodeResult(result.input(), result.facts(), steps));
    }
    return new Result(settings, results, plan, heldByQuery, heldByQuery && query.stale(now), false);
  }

  /**
   * Canaries watched while the rest of the fleet waits on them: an updated canary that is NotReady
   * or fails its health check has failed.
   */
  private static List<NodeResult> watched(
      List<NodeResult> nodes, Canaries.Phase canary, String target) {
    List<NodeResult> watched = new ArrayList<>();
    for (NodeResult node : nodes) {
      Decision last = node.last();
      boolean ready = node.facts().node().ready();
      if (!canary.nodes().contains(node.name())
          || !Canaries.updated(last, target)
          || ready && node.input().healthy()) {
        watched.add(node);
        continue;
      }
      List<Decision> steps = new ArrayList<>(node.steps());
      steps.add(
          Lifecycle.canaryUnhealthy(
              node.facts().after(last),
              "unhealthy during its canary soak: "
                  + (ready ? "pods of healthCheck.podSelector are not Ready" : "NotReady")));
      watched.add(new NodeResult(node.input(), node.facts(), steps));
    }
    return watched;
  }

  /**
   * Why nothing starts when more of the policy's nodes are unhealthy than {@code
   * failurePolicy.maxUnhealthy} allows: NotReady nodes Refit has not taken out of service, and
   * failed nodes. Null when there is no such limit or it is kept.
   */
  static String unhealthyHold(List<NodeResult> nodes, Settings settings) {
    if (settings.maxUnhealthy() < 0) {
      return null;
    }
    List<String> unhealthy = new ArrayList<>();
    for (NodeResult node : nodes) {
      NodeState state = node.last().state();
      if (state == NodeState.Failed) {
        unhealthy.add(node.name() + " (Failed)");
      } else if (!node.facts().node().ready() && !state.occupiesSlot()) {
        unhealthy.add(node.name() + " (NotReady)");
      }
    }
    if (unhealthy.size() <= settings.maxUnhealthy()) {
      return null;
    }
    int named = Math.min(5, unhealthy.size());
    return unhealthy.size()
        + " of "
        + nodes.size()
        + " nodes unhealthy ("
        + String.join(", ", unhealthy.subList(0, named))
        + (unhealthy.size() > named ? " and " + (unhealthy.size() - named) + " more" : "")
        + "), more than failurePolicy.maxUnhealthy allows ("
        + settings.maxUnhealthy()
        + ")";
  }

  /**
   * Steps in which a drain timed out say what blocked it, so the node's record names the budget or
   * pod that left it behind after the drain has stopped.
   */
  private static List<Decision> blamed(NodeInput input, List<Decision> steps) {
    if (input.blocker() == null) {
      return steps;
    }
    return steps.stream()
        .map(
            d ->
                NodeReasons.DRAIN_TIMED_OUT.equals(d.reason()) && d.message() != null
                    ? d.withReason(
                        d.reason(), d.message() + "; blocked by " + input.blocker().describe())
                    : d)
        .toList();
  }

  /**
   * The node as it will be once this round is applied: a node whose Refit cordon the round lifts
   * counts as schedulable already, so its slot goes to the next node in the same round (the
   * operator's own uncordon does not wake it again).
   */
  private static Planner.Candidate candidate(NodeResult result, Settings settings, Instant now) {
    Decision last = result.last();
    NodeView node = result.facts().node();
    boolean liftedNow = node.cordonedByRefit() && last.cordon() == Decision.CordonIntent.UNCORDONED;
    return new Planner.Candidate(
        result.name(),
        last.state(),
        last.reason(),
        node.ready(),
        node.unschedulable() && !liftedNow,
        node.cordonedByRefit() && !liftedNow,
        settings.order().group(result.input().node()),
        soaking(last, settings, now) ? last.since().plus(settings.soak()) : null);
  }

  /** A node just updated keeps its slot for the soak time. */
  public static boolean soaking(Decision last, Settings settings, Instant now) {
    return last.state() == NodeState.UpToDate
        && NodeReasons.UPDATED.equals(last.reason())
        && !settings.soak().isZero()
        && now.isBefore(last.since().plus(settings.soak()));
  }

  static NodeFacts facts(NodeInput input, Settings s, boolean granted, Instant now) {
    OSNodeSpec spec = input.osNode() == null ? null : input.osNode().getSpec();
    AgentReport agent =
        input.osNode() == null ? AgentReport.NONE : AgentReport.of(input.osNode().getStatus());
    // a node without an OSNode spec yet starts Pending, now, for the policy's target
    boolean fresh = spec == null;
    return new NodeFacts(
        fresh ? NodeState.Pending : spec.getState(),
        fresh || spec.getStateSince() == null ? now : Instant.parse(spec.getStateSince()),
        fresh ? null : spec.getReason(),
        fresh || spec.getDesiredRevision() == null ? s.targetRevision() : spec.getDesiredRevision(),
        fresh ? NodeAction.None : spec.getAction(),
        fresh ? null : spec.getActionId(),
        fresh || spec.getAttempts() == null ? 0 : spec.getAttempts(),
        agent,
        view(input.node()),
        s.targetRevision(),
        granted,
        s.timeouts(),
        s.onTimeout(),
        input.drain(),
        input.healthy(),
        now,
        gates(s.gates(), input.node()),
        s.autoRollback());
  }

  /** The policy's gates as the Node shows them: the keys not yet "true" on it. */
  static GateFacts gates(Gates gates, Node node) {
    if (gates == null || gates.getBeforeDrain().isEmpty() && gates.getAfterReboot().isEmpty()) {
      return GateFacts.NONE;
    }
    Map<String, String> annotations =
        node.getMetadata().getAnnotations() == null
            ? Map.of()
            : node.getMetadata().getAnnotations();
    return new GateFacts(
        gates.getBeforeDrain().stream().filter(k -> !"true".equals(annotations.get(k))).toList(),
        gates.getAfterReboot().stream().filter(k -> !"true".equals(annotations.get(k))).toList(),
        Duration.ofSeconds(gates.getTimeoutSeconds()),
        gates.getOnTimeout() == GateTimeout.Skip);
  }

  /** What the lifecycle needs from a Node object. */
  public static NodeView view(Node node) {
    return new NodeView(
        Nodes.ready(node),
        Nodes.unschedulable(node),
        Nodes.cordonedByRefit(node),
        Nodes.bootId(node));
  }
}
