package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** When a rollout stops because nodes failed, and what happens to a failed node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailurePolicy {

  @JsonPropertyDescription(
      "Failed nodes the rollout tolerates: when this many have failed (for the current target)"
          + " no further node starts and the policy is Degraded. An integer of at least 1, or a"
          + " percentage of the selected nodes from 1% to 100% (rounded up).")
  @Default("1")
  @ValidationRule(
      value = Patterns.COUNT_OR_PERCENT_RULE,
      message = "maxFailedNodes" + Patterns.COUNT_OR_PERCENT)
  private IntOrString maxFailedNodes = new IntOrString(1);

  @JsonPropertyDescription(
      "No node starts its disruption while more of the policy's nodes than this are unhealthy:"
          + " NotReady without Refit having taken them out of service, or Failed for the current"
          + " target (like Cluster API's MachineHealthCheck maxUnhealthy). An integer of at least"
          + " 0, or a percentage of the selected nodes from 0% to 100% (rounded down). Nodes"
          + " already in flight finish. Omit for no such limit.")
  @ValidationRule(
      value = Patterns.ZERO_COUNT_OR_PERCENT_RULE,
      message = "maxUnhealthy" + Patterns.ZERO_COUNT_OR_PERCENT)
  private IntOrString maxUnhealthy;

  @JsonPropertyDescription(
      "Roll a node that booted the target but is not Ready and healthy within"
          + " healthCheck.readyTimeoutSeconds back to the deployment it booted before (rpm-ostree"
          + " rollback, bootc rollback, Bottlerocket's previous partition), verify it there and"
          + " uncordon it; it is reported Failed, reason RolledBack, and counts against"
          + " maxFailedNodes. Not available for Flatcar (update_engine has no rollback verb): a"
          + " Flatcar policy cannot set it, and a Flatcar host of a policy without os.family"
          + " reports the rollback as failed (RollbackFailed).")
  @Default("false")
  private Boolean autoRollback = false;

  public FailurePolicy() {}

  public IntOrString getMaxFailedNodes() {
    return maxFailedNodes;
  }

  public void setMaxFailedNodes(IntOrString maxFailedNodes) {
    this.maxFailedNodes = maxFailedNodes == null ? new IntOrString(1) : maxFailedNodes;
  }

  public Boolean getAutoRollback() {
    return autoRollback;
  }

  public void setAutoRollback(Boolean autoRollback) {
    this.autoRollback = autoRollback == null ? false : autoRollback;
  }

  public IntOrString getMaxUnhealthy() {
    return maxUnhealthy;
  }

  public void setMaxUnhealthy(IntOrString maxUnhealthy) {
    this.maxUnhealthy = maxUnhealthy;
  }
}
