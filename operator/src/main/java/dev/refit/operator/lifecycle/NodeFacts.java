package dev.refit.operator.lifecycle;

import dev.refit.api.NodeAction;
import dev.refit.api.NodeState;
import dev.refit.api.OnTimeout;
import java.time.Duration;
import java.time.Instant;

/**
 * Everything the lifecycle decides one node's next step on: what the operator recorded on the
 * OSNode, what the agent reported, what the Node shows, what the policy wants, and the time.
 *
 * @param state the state recorded in the OSNode spec
 * @param since when the node entered it
 * @param reason the recorded reason (which failures keep the node cordoned depends on it)
 * @param revision the revision recorded as desired in the OSNode spec
 * @param action the instruction recorded for the agent
 * @param actionId the identity of that instruction
 * @param attempts failed attempts at the recorded revision
 * @param agent what the agent reported
 * @param node what the Node object shows
 * @param targetRevision the revision the policy wants now
 * @param slotGranted whether the planner gave this node a disruption slot now
 * @param timeouts the policy's phase timeouts
 * @param onTimeout what to do when a drain times out
 * @param drain how the node's drain is going, as the drain manager sees it
 * @param healthy whether the node's health checks pass (pods that must be Ready are)
 * @param now the time of the decision
 * @param gates the policy's gates as the Node shows them
 * @param autoRollback whether a node that fails its verification on the target is rolled back
 */
public record NodeFacts(
    NodeState state,
    Instant since,
    String reason,
    String revision,
    NodeAction action,
    String actionId,
    int attempts,
    AgentReport agent,
    NodeView node,
    String targetRevision,
    boolean slotGranted,
    Timeouts timeouts,
    OnTimeout onTimeout,
    DrainProgress drain,
    boolean healthy,
    Instant now,
    GateFacts gates,
    boolean autoRollback) {

  /** The Node object's facts that matter to the lifecycle. */
  public record NodeView(
      boolean ready, boolean unschedulable, boolean cordonedByRefit, String bootId) {}

  /** The policy's phase timeouts: one staging attempt, the drain, the reboot, Ready. */
  public record Timeouts(Duration stage, Duration drain, Duration reboot, Duration ready) {}

  /** How long the node has been in its state. */
  public Duration elapsed() {
    return since == null ? Duration.ZERO : Duration.between(since, now);
  }

  /**
   * Whether the node was given a slot but its disruption never began: recorded as {@code Cordoned}
   * or {@code Draining}, yet the Node does not carry Refit's mark (a person who lifts Refit's
   * cordon leaves the mark), and no drain runs. The write of Refit's cordon failed after the
   * OSNode's, or was refused because a person cordoned the node first (that cordon is theirs), so
   * nothing was done to the node yet, and the slot it was given was given on a view that may be
   * gone.
   */
  public boolean startNotLanded() {
    return (state == NodeState.Cordoned || state == NodeState.Draining)
        && !node.cordonedByRefit()
        && drain == DrainProgress.NOT_RUNNING;
  }

  /**
   * The facts of a start that never landed, taken back: the node is {@code Staged} again, as before
   * it was given its slot, and waits for one like any staged node.
   */
  public NodeFacts withdrawn() {
    return new NodeFacts(
        NodeState.Staged,
        now,
        null,
        revision,
        action,
        actionId,
        attempts,
        agent,
        node,
        targetRevision,
        false,
        timeouts,
        onTimeout,
        drain,
        healthy,
        now,
        gates,
        autoRollback);
  }

  /**
   * The facts after the node took its first steps and was given a disruption slot. A node is given
   * a slot only while Staged, so its drain is as it was.
   */
  public NodeFacts granted(Decision last) {
    return moved(last, true, drain);
  }

  /** The facts after the node moved on, as the next step sees them. */
  public NodeFacts after(Decision decision) {
    return moved(
        decision,
        slotGranted,
        decision.state() == NodeState.Draining && state != NodeState.Draining
            ? DrainProgress.NOT_RUNNING
            : drain);
  }

  private NodeFacts moved(Decision decision, boolean granted, DrainProgress drainNow) {
    return new NodeFacts(
        decision.state(),
        decision.since(),
        decision.reason(),
        decision.revision(),
        decision.action(),
        decision.actionId(),
        decision.attempts(),
        agent,
        node,
        targetRevision,
        granted,
        timeouts,
        onTimeout,
        drainNow,
        healthy,
        now,
        gates,
        autoRollback);
  }
}
