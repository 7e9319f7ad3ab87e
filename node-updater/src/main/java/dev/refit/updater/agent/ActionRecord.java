package dev.refit.updater.agent;

import dev.refit.api.ActionState;
import dev.refit.api.HostError;
import dev.refit.api.OSNodeStatus;

/**
 * The agent's record of the instruction it last acted on, as kept in the OSNode status. It is the
 * agent's only memory that survives a restart, so every decision starts from it.
 *
 * @param observedActionId the instruction last acted on, or null
 * @param state how it went, or null
 * @param bootIdBeforeAction the boot ID recorded before rebooting for it, or null
 * @param error the last error, or null
 */
public record ActionRecord(
    String observedActionId, ActionState state, String bootIdBeforeAction, HostError error) {

  /** Nothing acted on yet. */
  public static final ActionRecord NONE = new ActionRecord(null, null, null, null);

  /** The record in a status (NONE for no status). */
  public static ActionRecord of(OSNodeStatus status) {
    if (status == null) {
      return NONE;
    }
    return new ActionRecord(
        status.getObservedActionId(),
        status.getActionState(),
        status.getBootIdBeforeAction(),
        status.getLastError());
  }

  /** Whether this record is about the given instruction. */
  public boolean observed(String actionId) {
    return actionId != null && actionId.equals(observedActionId);
  }

  /** Whether the given instruction is finished, either way. */
  public boolean finished(String actionId) {
    return observed(actionId) && (state == ActionState.Succeeded || state == ActionState.Failed);
  }

  /** The record of an instruction that has just started. */
  public static ActionRecord running(String actionId, String bootIdBeforeAction) {
    return new ActionRecord(actionId, ActionState.Running, bootIdBeforeAction, null);
  }

  /** This record, succeeded. */
  public ActionRecord succeeded() {
    return new ActionRecord(observedActionId, ActionState.Succeeded, bootIdBeforeAction, null);
  }

  /** This record, failed for the given reason. */
  public ActionRecord failed(HostError why) {
    return new ActionRecord(observedActionId, ActionState.Failed, bootIdBeforeAction, why);
  }

  /** This record with another last error (or none), the instruction's state unchanged. */
  public ActionRecord withError(HostError why) {
    return new ActionRecord(observedActionId, state, bootIdBeforeAction, why);
  }
}
