package dev.refit.operator.lifecycle;

import dev.refit.api.ActionState;
import dev.refit.api.Condition;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.RefitApi;
import java.util.List;

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
 * @param refusal why the host is not eligible for an update (its Eligible condition is False), or
 *     null when it is
 * @param selinuxDrift how the host's SELinux state differs from the declared one, in words; empty
 *     when it does not (or nothing is declared)
 */
public record AgentReport(
    String currentRevision,
    String stagedRevision,
    String observedActionId,
    ActionState actionState,
    String bootIdBeforeAction,
    Boolean rebootPending,
    String error,
    Refusal refusal,
    List<String> selinuxDrift) {

  /** Copies the drift list; none is an empty one. */
  public AgentReport {
    selinuxDrift = selinuxDrift == null ? List.of() : List.copyOf(selinuxDrift);
  }

  /**
   * What the agent found on its host that makes an update unsafe until a person acts.
   *
   * @param reason CamelCase, e.g. {@code RebootManagerActive}
   * @param message what was found and what to do
   */
  public record Refusal(String reason, String message) {}

  /** Nothing reported yet. */
  public static final AgentReport NONE =
      new AgentReport(null, null, null, null, null, null, null, null, List.of());

  /** A report of an eligible host. */
  public AgentReport(
      String currentRevision,
      String stagedRevision,
      String observedActionId,
      ActionState actionState,
      String bootIdBeforeAction,
      Boolean rebootPending,
      String error) {
    this(
        currentRevision,
        stagedRevision,
        observedActionId,
        actionState,
        bootIdBeforeAction,
        rebootPending,
        error,
        null,
        List.of());
  }

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
        status.getLastError() == null ? null : status.getLastError().getMessage(),
        refusal(status),
        status.getSelinuxDrift());
  }

  /** The host's refusal: its Eligible condition when False. */
  private static Refusal refusal(OSNodeStatus status) {
    return status.getConditions().stream()
        .filter(c -> RefitApi.ELIGIBLE.equals(c.getType()))
        .filter(c -> c.getStatus() == Condition.Status.False)
        .findFirst()
        .map(c -> new Refusal(c.getReason(), c.getMessage()))
        .orElse(null);
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
