package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Where a policy's rollout stands. Written by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OSUpdatePolicyStatus {

  /** How many node problems status lists at most; the counts cover the rest. */
  public static final int MAX_PROBLEMS = 10;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready (every managed node runs the target), Progressing (nodes are being updated),"
          + " Degraded (the rollout cannot go on without help; the message says why), Paused.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The target, as a person reads it: the OS version or image.")
  private String target;

  @JsonPropertyDescription(
      "Hash of the desired OS and SELinux state. A node has the target when its OSNode reports"
          + " this revision as current.")
  private String targetRevision;

  @JsonPropertyDescription("Updated nodes out of managed nodes, e.g. 7/20.")
  private String progress;

  @JsonPropertyDescription("Node counts by where they are in the rollout.")
  private NodeCounts nodes;

  @JsonPropertyDescription(
      "Nodes that are blocked, failed or left alone, with reasons (at most 10; counts cover the"
          + " rest).")
  private List<NodeProblem> problems = new ArrayList<>();

  @JsonPropertyDescription(
      "When the next maintenance window opens, if none is open now (RFC 3339).")
  private String nextWindow;

  @JsonPropertyDescription(
      "What the rollout waits for now, in one line (the Progressing message without the counts);"
          + " absent when it waits for nothing.")
  private String waitingFor;

  @JsonPropertyDescription(
      "The disruption slots as the planner counted them this round: the limit, the nodes out of"
          + " service and who they are, the slots free.")
  private Slots slots;

  @JsonPropertyDescription(
      "The canary phase of the current target, when spec.rollout.canary is set: the canaries,"
          + " whether they are updating, soaking or passed, and when the soak ends.")
  private CanaryStatus canary;

  @JsonPropertyDescription(
      "When the rollout is expected to finish (RFC 3339), from the pace at which its nodes were"
          + " updated so far for this target: the time between the first and the last update,"
          + " per update, times the nodes left. Absent until two nodes were updated, and while"
          + " the rollout is halted, held or done.")
  private String estimatedCompletion;

  @JsonPropertyDescription(
      "The SELinux side of the rollout, when spec.selinux is set or a node's SELinux state"
          + " drifted: which part of the pending change applies live and which reboots, the nodes"
          + " that drifted and what differs, the nodes whose OS cannot have the declared policy.")
  private PolicySELinuxStatus selinux;

  public OSUpdatePolicyStatus() {}

  public PolicySELinuxStatus getSelinux() {
    return selinux;
  }

  public void setSelinux(PolicySELinuxStatus selinux) {
    this.selinux = selinux;
  }

  public String getEstimatedCompletion() {
    return estimatedCompletion;
  }

  public void setEstimatedCompletion(String estimatedCompletion) {
    this.estimatedCompletion = estimatedCompletion;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public String getTargetRevision() {
    return targetRevision;
  }

  public void setTargetRevision(String targetRevision) {
    this.targetRevision = targetRevision;
  }

  public String getProgress() {
    return progress;
  }

  public void setProgress(String progress) {
    this.progress = progress;
  }

  public NodeCounts getNodes() {
    return nodes;
  }

  public void setNodes(NodeCounts nodes) {
    this.nodes = nodes;
  }

  public List<NodeProblem> getProblems() {
    return problems;
  }

  public void setProblems(List<NodeProblem> problems) {
    this.problems = problems == null ? new ArrayList<>() : problems;
  }

  public String getNextWindow() {
    return nextWindow;
  }

  public void setNextWindow(String nextWindow) {
    this.nextWindow = nextWindow;
  }

  public String getWaitingFor() {
    return waitingFor;
  }

  public void setWaitingFor(String waitingFor) {
    this.waitingFor = waitingFor;
  }

  public Slots getSlots() {
    return slots;
  }

  public void setSlots(Slots slots) {
    this.slots = slots;
  }

  public CanaryStatus getCanary() {
    return canary;
  }

  public void setCanary(CanaryStatus canary) {
    this.canary = canary;
  }

  /** The condition of the given type, or null. */
  public Condition condition(String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OSUpdatePolicyStatus other
        && Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(conditions, other.conditions)
        && Objects.equals(target, other.target)
        && Objects.equals(targetRevision, other.targetRevision)
        && Objects.equals(progress, other.progress)
        && Objects.equals(nodes, other.nodes)
        && Objects.equals(problems, other.problems)
        && Objects.equals(nextWindow, other.nextWindow)
        && Objects.equals(waitingFor, other.waitingFor)
        && Objects.equals(slots, other.slots)
        && Objects.equals(canary, other.canary)
        && Objects.equals(estimatedCompletion, other.estimatedCompletion)
        && Objects.equals(selinux, other.selinux);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration,
        conditions,
        target,
        targetRevision,
        progress,
        nodes,
        problems,
        nextWindow,
        waitingFor,
        slots,
        canary,
        estimatedCompletion,
        selinux);
  }
}
