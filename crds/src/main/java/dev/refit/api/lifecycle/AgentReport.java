package dev.refit.api.lifecycle;

import dev.refit.api.ActionState;
import dev.refit.api.OSNodeStatus;

/**
 * What the node's agent last reported, reduced to what the lifecycle decides on. Every field may be
 * null: an agent that has not reported yet reports nothing.
 *
 * @param currentRevision revision the host runs
 * @param stagedRevision revision staged for the next boot
 * @param observedActionId the instruction the agent last acted on
 * @param actionState how that instruction went
 * @param bootIdBeforeAction boot ID recorded just before the agent rebooted for it
 * @param rebootPending whether the staged change needs a reboot
 * @param error the agent's last error message, for people
 */
public record AgentReport(
    String currentRevision,
    String stagedRevision,
    String observedActionId,
    ActionState actionState,
    String bootIdBeforeAction,
    Boolean rebootPending,
    String error) {

  /** Nothing reported yet. */
  public static final AgentReport NONE = new AgentReport(null, null, null, null, null, null, null);

  /** The report in an OSNode's status (NONE when there is no status). */
  public static AgentReport of(OSNodeStatus status) {
    if (status == null) {
      return NONE;
    }
    return new AgentReport(
        status.getCurrentRevision(),
        status.getStagedRevision(),
        status.getObservedActionId(),
        status.getActionState(),
        status.getBootIdBeforeAction(),
        status.getRebootPending(),
        status.getLastError() == null ? null : status.getLastError().getMessage());
  }

  /** Whether the agent finished the given instruction with this outcome. */
  public boolean finished(String actionId, ActionState outcome) {
    return actionId != null && actionId.equals(observedActionId) && actionState == outcome;
  }

  /** Whether the staged change needs a reboot; unknown counts as yes, the safe answer. */
  public boolean needsReboot() {
    return !Boolean.FALSE.equals(rebootPending);
  }
}
