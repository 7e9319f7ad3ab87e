package dev.refit.operator.status;

import dev.refit.api.Condition;
import dev.refit.api.ConditionSet;
import dev.refit.api.NodeCounts;
import dev.refit.api.NodeProblem;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.PolicyReasons;
import dev.refit.api.RefitApi;
import dev.refit.api.SlotHolder;
import dev.refit.api.Slots;
import dev.refit.operator.lifecycle.AgentReport;
import dev.refit.operator.lifecycle.Decision;
import dev.refit.operator.plan.Blocker;
import dev.refit.operator.plan.Claims;
import dev.refit.operator.plan.NodeOrder;
import dev.refit.operator.plan.Plan;
import dev.refit.operator.plan.Round;
import dev.refit.operator.plan.SpecProblem;
import dev.refit.operator.plan.Windows;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns what the operator knows about a policy into its status: conditions a person can act on,
 * counts, and a bounded list of node problems. Pure: the same facts give the same status, so the
 * reconciler writes status only when something changed.
 */
public final class PolicyStatusComposer {

  /** How much of a selector a message shows: a full one may run to tens of thousands. */
  static final int SELECTOR_SHOWN = 300;

  private PolicyStatusComposer() {}

  /**
   * Everything the status is computed from.
   *
   * @param policy the policy, with its previous status
   * @param claims which nodes each policy manages
   * @param specProblems what is wrong with the spec
   * @param round the rollout round just planned
   * @param blockers what blocks each draining node
   * @param window the schedule's state
   * @param now the time
   */
  public record Inputs(
      OSUpdatePolicy policy,
      Claims claims,
      List<SpecProblem> specProblems,
      Round.Result round,
      Map<String, Blocker> blockers,
      Windows.State window,
      Instant now) {}

  /** The status the policy should have now. */
  public static OSUpdatePolicyStatus compose(Inputs f) {
    OSUpdatePolicy policy = f.policy();
    // a policy stored without spec is composed like an empty one; its problems say what to add
    OSUpdatePolicySpec spec =
        policy.getSpec() == null ? new OSUpdatePolicySpec() : policy.getSpec();
    String name = policy.getMetadata().getName();
    long generation =
        policy.getMetadata().getGeneration() == null ? 0 : policy.getMetadata().getGeneration();
    OSUpdatePolicyStatus previous = policy.getStatus();
    Map<String, List<String>> conflicts = f.claims().conflictsOf(name);
    List<Round.NodeResult> nodes = f.round().nodes();
    Plan plan = f.round().plan();

    NodeCounts counts = counts(nodes);
    counts.setExcluded(f.claims().excludedFrom(name).size() + conflicts.size());
    OSUpdatePolicyStatus status = new OSUpdatePolicyStatus();
    status.setObservedGeneration(generation);
    status.setTarget(target(spec));
    status.setTargetRevision(f.round().settings().targetRevision());
    status.setNodes(counts);
    status.setProgress(counts.getUpdated() + "/" + counts.getTotal());
    status.setProblems(problems(f, conflicts, previous));

    ConditionSet conditions =
        new ConditionSet(previous == null ? null : previous.getConditions(), generation, f.now());
    boolean noNodes = counts.getTotal() == 0 && conflicts.isEmpty();
    ready(conditions, counts, noNodes, spec, name, f);
    Waits.Wait wait = Waits.of(f.round(), counts, noNodes, f.blockers(), f.now());
    String summary = counts.getUpdated() + " of " + counts.getTotal() + " updated";
    List<Round.NodeResult> leftBehind = leftBehind(nodes);
    conditions.set(
        RefitApi.PROGRESSING,
        wait.progressing(),
        wait.reason(),
        wait.line() == null
            ? summary + leftBehindSummary(leftBehind)
            : wait.line() + "; " + summary);
    status.setWaitingFor(wait.line());
    status.setEstimatedCompletion(Estimate.completion(f.round(), wait));
    status.setSlots(slots(plan));
    status.setCanary(
        plan.canary() == null
            ? null
            : CanaryReport.status(plan.canary(), CanaryReport.othersLeft(f.round())));
    status.setSelinux(SelinuxReport.of(spec, nodes, previous, f.now()));
    degraded(
        conditions,
        f.specProblems(),
        conflicts,
        plan,
        refused(nodes),
        leftBehind,
        SelinuxReport.degradedMessage(status.getSelinux(), spec.getSelinux()));
    boolean paused = Boolean.TRUE.equals(spec.getRollout().getPaused());
    conditions.set(
        RefitApi.PAUSED,
        paused,
        paused ? PolicyReasons.PAUSED_BY_SPEC : PolicyReasons.NOT_PAUSED,
        paused
            ? "spec.rollout.paused is true: no node starts a disruption until it is set to false"
            : "the rollout may start node disruptions");
    status.setConditions(conditions.build());
    Windows.State window = f.window();
    status.setNextWindow(
        window.open() || window.nextOpen() == null ? null : window.nextOpen().toString());
    return status;
  }

  /**
   * Marks a status composed from a round whose writes the API refused: the Progressing message says
   * so and that the round is being retried; its reason stays, so no Event is raised for a refusal
   * the retry may clear a second later.
   */
  public static void refused(OSUpdatePolicyStatus status, String refused) {
    Condition progressing = status.condition(RefitApi.PROGRESSING);
    if (progressing == null) {
      return;
    }
    progressing.setMessage(
        Condition.shortened(
            progressing.getMessage()
                + "; the API server refused a write of this round ("
                + refused
                + "): retrying",
            Condition.MAX_MESSAGE));
  }

  private static NodeCounts counts(List<Round.NodeResult> nodes) {
    NodeCounts counts = new NodeCounts();
    counts.setTotal(nodes.size());
    for (Round.NodeResult node : nodes) {
      NodeState state = node.last().state();
      switch (state) {
        case UpToDate -> counts.setUpdated(counts.getUpdated() + 1);
        case Pending, Staging, Staged -> counts.setPending(counts.getPending() + 1);
        case Failed -> counts.setFailed(counts.getFailed() + 1);
        case Skipped -> counts.setSkipped(counts.getSkipped() + 1);
        default -> counts.setUpdating(counts.getUpdating() + 1);
      }
    }
    return counts;
  }

  private static void ready(
      ConditionSet conditions,
      NodeCounts counts,
      boolean noNodes,
      OSUpdatePolicySpec spec,
      String name,
      Inputs f) {
    if (noNodes) {
      conditions.set(
          RefitApi.READY,
          false,
          PolicyReasons.NO_MATCHING_NODES,
          (spec.getNodeSelector() == null
                  ? "spec.nodeSelector is missing, so no node is selected"
                  : "nodeSelector "
                      + Condition.shortened(spec.getNodeSelector().toString(), SELECTOR_SHOWN)
                      + " matches no node")
              + (f.claims().excludedFrom(name).isEmpty()
                  ? ""
                  : " that is not labelled " + RefitApi.EXCLUDE_LABEL)
              + "; check the labels of the nodes you meant to select");
    } else if (counts.getUpdated() == counts.getTotal()) {
      conditions.set(
          RefitApi.READY,
          true,
          PolicyReasons.ALL_NODES_UPDATED,
          "all " + counts.getTotal() + " nodes run " + target(spec));
    } else {
      conditions.set(
          RefitApi.READY,
          false,
          PolicyReasons.UPDATES_PENDING,
          counts.getUpdated() + " of " + counts.getTotal() + " nodes run " + target(spec));
    }
  }

  /** What a person reads as the target, or null while the spec names none. */
  private static String target(OSUpdatePolicySpec spec) {
    return spec.getOs() == null ? null : spec.getOs().display();
  }

  /** The planner's slots: the limit, the unavailable nodes and why, the slots free. */
  private static Slots slots(Plan plan) {
    List<SlotHolder> holders =
        plan.holders().stream()
            .limit(Slots.MAX_HOLDERS)
            .map(h -> new SlotHolder(h.node(), h.why()))
            .toList();
    return new Slots(plan.maxUnavailable(), plan.unavailable(), holders);
  }

  /** Nodes left behind for the current target (failed or skipped), in rollout-name order. */
  static List<Round.NodeResult> leftBehind(List<Round.NodeResult> nodes) {
    return nodes.stream()
        .filter(n -> n.last().state() == NodeState.Failed || n.last().state() == NodeState.Skipped)
        .sorted(java.util.Comparator.comparing(Round.NodeResult::name, NodeOrder.NATURAL))
        .toList();
  }

  private static String leftBehindSummary(List<Round.NodeResult> leftBehind) {
    if (leftBehind.isEmpty()) {
      return "";
    }
    return "; left behind: "
        + abbreviate(
            leftBehind.stream().map(n -> n.name() + " (" + n.last().state() + ")").toList())
        + " (see Degraded and status.problems)";
  }

  /**
   * "w-3 failed while Rebooting (RebootTimeout), kept cordoned: NotReady; w-7 skipped
   * (DrainTimedOut): blocked by PDB data/db (pod data/db-0)".
   */
  static String attentionMessage(List<Round.NodeResult> leftBehind) {
    List<String> parts = new ArrayList<>();
    for (Round.NodeResult node : leftBehind.subList(0, Math.min(leftBehind.size(), 5))) {
      Decision last = node.last();
      String kept = keptCordoned(node);
      parts.add(
          node.name()
              + (last.state() == NodeState.Failed ? " failed (" : " skipped (")
              + last.reason()
              + "): "
              + message(node)
              + (kept == null ? "" : "; kept cordoned by Refit: " + kept));
    }
    int more = leftBehind.size() - parts.size();
    return leftBehind.size()
        + (leftBehind.size() == 1 ? " node was" : " nodes were")
        + " left behind and need"
        + (leftBehind.size() == 1 ? "s" : "")
        + " a person: "
        + String.join("; ", parts)
        + (more > 0 ? "; and " + more + " more" : "")
        + ". Delete a node's OSNode to try it again";
  }

  /** Why Refit keeps the node cordoned, when it does; null otherwise. */
  private static String keptCordoned(Round.NodeResult node) {
    Decision last = node.last();
    return last.cordon() == Decision.CordonIntent.KEEP && node.facts().node().cordonedByRefit()
        ? last.cordonKept()
        : null;
  }

  /** The node's message: the one on its OSNode when the state did not change this round. */
  private static String message(Round.NodeResult node) {
    Decision last = node.last();
    return node.input().osNode() != null && last.state() == node.facts().state()
        ? node.input().osNode().getSpec().getMessage()
        : last.message();
  }

  /** Nodes held because their hosts are not eligible, in name order. */
  static List<Round.NodeResult> refused(List<Round.NodeResult> nodes) {
    return nodes.stream()
        .filter(n -> NodeReasons.HOST_REFUSED.equals(n.last().reason()))
        .sorted(java.util.Comparator.comparing(Round.NodeResult::name))
        .toList();
  }

  /** "w-3: locksmithd would reboot ...; 2 more nodes refused by their hosts (status.problems)". */
  static String refusedMessage(List<Round.NodeResult> refused) {
    Round.NodeResult first = refused.get(0);
    AgentReport.Refusal refusal = first.facts().agent().refusal();
    String said = refusal == null ? first.last().message() : refusal.message();
    String more =
        refused.size() == 1
            ? ""
            : "; "
                + (refused.size() - 1)
                + " more node"
                + (refused.size() == 2 ? "" : "s")
                + " wait for their hosts too ("
                + abbreviate(
                    refused.subList(1, refused.size()).stream()
                        .map(Round.NodeResult::name)
                        .toList())
                + "; see status.problems)";
    return first.name() + " waits for a person: " + said + more;
  }

  private static void degraded(
      ConditionSet conditions,
      List<SpecProblem> specProblems,
      Map<String, List<String>> conflicts,
      Plan plan,
      List<Round.NodeResult> refused,
      List<Round.NodeResult> leftBehind,
      String selinuxNotConfigurable) {
    List<String> messages = new ArrayList<>();
    String reason = null;
    if (plan.halted()) {
      reason = plan.halt().reason();
      messages.add(plan.halt().message());
    }
    for (SpecProblem problem : specProblems) {
      reason = reason == null ? problem.reason() : reason;
      messages.add(problem.message());
    }
    if (!conflicts.isEmpty()) {
      reason = reason == null ? PolicyReasons.NODE_CONFLICT : reason;
      messages.add(conflictMessage(conflicts));
    }
    if (!refused.isEmpty()) {
      reason = reason == null ? PolicyReasons.HOSTS_REFUSED : reason;
      messages.add(refusedMessage(refused));
    }
    if (!leftBehind.isEmpty()) {
      reason = reason == null ? PolicyReasons.NODES_NEED_ATTENTION : reason;
      messages.add(attentionMessage(leftBehind));
    }
    if (selinuxNotConfigurable != null) {
      reason = reason == null ? PolicyReasons.SELINUX_NOT_CONFIGURABLE : reason;
      messages.add(selinuxNotConfigurable);
    }
    if (reason == null) {
      conditions.set(
          RefitApi.DEGRADED, false, PolicyReasons.NO_PROBLEMS, "nothing needs attention");
    } else {
      conditions.set(RefitApi.DEGRADED, true, reason, String.join("; ", messages));
    }
  }

  private static List<NodeProblem> problems(
      Inputs f, Map<String, List<String>> conflicts, OSUpdatePolicyStatus previous) {
    List<NodeProblem> problems = new ArrayList<>();
    for (Round.NodeResult node : f.round().nodes()) {
      Decision last = node.last();
      if (last.state() == NodeState.Failed || last.state() == NodeState.Skipped) {
        String kept = keptCordoned(node);
        problems.add(
            new NodeProblem(
                node.name(),
                last.reason(),
                message(node) + (kept == null ? "" : "; kept cordoned by Refit: " + kept),
                stamp(last.since())));
      }
    }
    for (Round.NodeResult node : refused(f.round().nodes())) {
      AgentReport.Refusal refusal = node.facts().agent().refusal();
      String reason = refusal == null ? NodeReasons.HOST_REFUSED : refusal.reason();
      String message = refusal == null ? node.last().message() : refusal.message();
      problems.add(
          new NodeProblem(
              node.name(), reason, message, since(previous, node.name(), reason, f.now())));
    }
    new TreeMap<>(f.blockers())
        .forEach(
            (node, blocker) ->
                problems.add(
                    new NodeProblem(
                        node,
                        PolicyReasons.DRAIN_BLOCKED,
                        "blocked by " + blocker.describe(),
                        stamp(blocker.since()))));
    for (Map.Entry<String, List<String>> conflict : conflicts.entrySet()) {
      problems.add(
          new NodeProblem(
              conflict.getKey(),
              PolicyReasons.NODE_CONFLICT,
              "also selected by policy " + String.join(", ", conflict.getValue()),
              since(previous, conflict.getKey(), PolicyReasons.NODE_CONFLICT, f.now())));
    }
    return problems.size() > OSUpdatePolicyStatus.MAX_PROBLEMS
        ? new ArrayList<>(problems.subList(0, OSUpdatePolicyStatus.MAX_PROBLEMS))
        : problems;
  }

  private static String conflictMessage(Map<String, List<String>> conflicts) {
    Map<String, List<String>> byOtherPolicy =
        conflicts.entrySet().stream()
            .collect(
                Collectors.groupingBy(
                    e -> String.join(", ", e.getValue()),
                    TreeMap::new,
                    Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
    List<String> parts = new ArrayList<>();
    byOtherPolicy.forEach(
        (others, nodes) ->
            parts.add(
                nodes.size()
                    + (nodes.size() == 1 ? " node is" : " nodes are")
                    + " also selected by policy "
                    + others
                    + " ("
                    + abbreviate(nodes)
                    + ")"));
    return String.join(", ", parts)
        + "; Refit leaves such nodes alone until exactly one policy selects each: narrow one of"
        + " the nodeSelectors or label the nodes "
        + RefitApi.EXCLUDE_LABEL;
  }

  /** When a node's problem began: carried forward from the previous status if it is the same. */
  static String since(OSUpdatePolicyStatus previous, String node, String reason, Instant now) {
    return since(previous == null ? List.of() : previous.getProblems(), node, reason, now);
  }

  /** When a node's entry began: carried forward from the same entry among {@code before}. */
  static String since(List<NodeProblem> before, String node, String reason, Instant now) {
    for (NodeProblem problem : before) {
      if (node.equals(problem.getNode()) && reason.equals(problem.getReason())) {
        return problem.getSince();
      }
    }
    return stamp(now);
  }

  static String stamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String abbreviate(List<String> names) {
    int shown = Math.min(names.size(), 5);
    String list = String.join(", ", names.subList(0, shown));
    return names.size() > shown ? list + " and " + (names.size() - shown) + " more" : list;
  }

  /** A duration as a person says it: 45s, 4m, 2h10m. */
  static String human(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return (seconds / 60) + "m";
    }
    long minutes = (seconds % 3600) / 60;
    return (seconds / 3600) + "h" + (minutes == 0 ? "" : minutes + "m");
  }
}
