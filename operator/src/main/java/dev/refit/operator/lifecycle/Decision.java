package dev.refit.operator.lifecycle;

import dev.refit.api.NodeAction;
import dev.refit.api.NodeState;
import java.time.Instant;

/**
 * One step of a node's lifecycle: where the node is after it, what the agent is told, and what the
 * operator must make true (cordon, drain) — derived from the state by {@link #cordon()} and {@link
 * #drain()}, so a new operator leader can rebuild every effect from the OSNode alone.
 *
 * @param state the node's state after the step
 * @param since when it entered that state
 * @param reason CamelCase reason for the state, or null
 * @param message what a person should know, or null
 * @param revision the revision the node is being moved to
 * @param action the instruction for the agent
 * @param actionId its identity (deterministic, so a recomputed step issues the same instruction)
 * @param attempts failed attempts at the revision
 * @param forceDrain delete the remaining pods without eviction (drain timed out, onTimeout Force)
 * @param outcome how the update ended, if it ended in this step
 * @param wakeAt when the lifecycle must look at the node again even if nothing happens, or null
 * @param cordonKept why Refit keeps a failed node cordoned (it may be broken, or may still reboot),
 *     or null when its cordon is lifted
 */
public record Decision(
    NodeState state,
    Instant since,
    String reason,
    String message,
    String revision,
    NodeAction action,
    String actionId,
    int attempts,
    boolean forceDrain,
    Outcome outcome,
    Instant wakeAt,
    String cordonKept) {

  /** This decision with the agent told to act ({@code action} with the given identity). */
  public Decision withInstruction(NodeAction action, String actionId) {
    return new Decision(
        state,
        since,
        reason,
        message,
        revision,
        action,
        actionId,
        attempts,
        forceDrain,
        outcome,
        wakeAt,
        cordonKept);
  }

  /** This decision with a reason and message of its own. */
  public Decision withReason(String reason, String message) {
    return new Decision(
        state,
        since,
        reason,
        message,
        revision,
        action,
        actionId,
        attempts,
        forceDrain,
        outcome,
        wakeAt,
        cordonKept);
  }

  /** This decision with the count of failed attempts. */
  public Decision withAttempts(int attempts) {
    return new Decision(
        state,
        since,
        reason,
        message,
        revision,
        action,
        actionId,
        attempts,
        forceDrain,
        outcome,
        wakeAt,
        cordonKept);
  }

  /** This decision with the remaining pods deleted without eviction. */
  public Decision withForcedDrain() {
    return new Decision(
        state,
        since,
        reason,
        message,
        revision,
        action,
        actionId,
        attempts,
        true,
        outcome,
        wakeAt,
        cordonKept);
  }

  /** This decision ending an update with the outcome. */
  public Decision withOutcome(Outcome outcome) {
    return new Decision(
        state,
        since,
        reason,
        message,
        revision,
        action,
        actionId,
        attempts,
        forceDrain,
        outcome,
        wakeAt,
        cordonKept);
  }

  /** This decision with a time to look at the node again even if nothing happens. */
  public Decision withWakeAt(Instant wakeAt) {
    return new Decision(
        state,
        since,
        reason,
        message,
        revision,
        action,
        actionId,
        attempts,
        forceDrain,
        outcome,
        wakeAt,
        cordonKept);
  }

  /** This decision with Refit's cordon kept on a failed node, for the given reason (or lifted). */
  public Decision withCordonKept(String why) {
    return new Decision(
        state,
        since,
        reason,
        message,
        revision,
        action,
        actionId,
        attempts,
        forceDrain,
        outcome,
        wakeAt,
        why);
  }

  /** What the operator must make true of the Node's cordon in this state. */
  public CordonIntent cordon() {
    if (state.cordoned()) {
      return CordonIntent.CORDONED;
    }
    return state == NodeState.Failed && cordonKept != null
        ? CordonIntent.KEEP
        : CordonIntent.UNCORDONED;
  }

  /** Whether a drain of the node must be running in this state. */
  public boolean drain() {
    return state == NodeState.Draining;
  }

  /** What Refit's cordon on the Node must be. */
  public enum CordonIntent {
    /** Cordoned by Refit. */
    CORDONED,
    /** Not cordoned by Refit (Refit removes its own cordon, never anyone else's). */
    UNCORDONED,
    /** Left as it is: a failed node that may be broken, held for a person who may uncordon it. */
    KEEP
  }
}
