package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** What a group of nodes must run, and how Refit may get them there. Written by people. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.os) || !has(self.os.family) || self.os.family != 'Bottlerocket'"
            + " || !has(self.selinux)"
            + " || ((!has(self.selinux.mode) || self.selinux.mode == 'Enforcing')"
            + " && (!has(self.selinux.booleans) || size(self.selinux.booleans) == 0)"
            + " && (!has(self.selinux.modules) || size(self.selinux.modules) == 0))",
    message =
        "Bottlerocket's SELinux policy is fixed and always enforcing: remove selinux booleans,"
            + " modules and Permissive mode from a Bottlerocket policy")
@ValidationRule(
    value =
        "!has(self.os) || !has(self.os.family) || self.os.family != 'Flatcar'"
            + " || !has(self.failurePolicy) || !has(self.failurePolicy.autoRollback)"
            + " || !self.failurePolicy.autoRollback",
    message =
        "Flatcar cannot be rolled back automatically (update_engine has no rollback verb): set"
            + " failurePolicy.autoRollback to false for a Flatcar policy")
public class OSUpdatePolicySpec {

  @JsonPropertyDescription(
      "Nodes this policy manages, by label. Must not be empty. A node selected by two policies"
          + " is managed by neither, and reported on both. A node labelled refit.dev/exclude is"
          + " never touched.")
  @Required
  private Selector nodeSelector;

  @JsonPropertyDescription("The operating system the selected nodes must run.")
  @Required
  private OSTarget os;

  @JsonPropertyDescription(
      "The SELinux state the selected nodes must have. Omit to leave SELinux as the OS ships"
          + " it.")
  private SELinuxPolicy selinux;

  @JsonPropertyDescription(
      "Most nodes that may be unavailable at once: an integer of at least 1, or a percentage of"
          + " the selected nodes from 1% to 100% (rounded down, but at least 1). Nodes already"
          + " unavailable for any reason (NotReady, or cordoned by anyone) count against it.")
  @Default("1")
  @ValidationRule(
      value = Patterns.COUNT_OR_PERCENT_RULE,
      message = "maxUnavailable" + Patterns.COUNT_OR_PERCENT)
  private IntOrString maxUnavailable = new IntOrString(1);

  @JsonPropertyDescription(
      "When nodes may start their disruption. Omit to allow any time. Staging (download) is"
          + " never disruptive and runs at any time.")
  private Schedule schedule;

  @JsonPropertyDescription("How the rollout moves: pause, canaries, ordering, soak time.")
  @Default("{}")
  private Rollout rollout = new Rollout();

  @JsonPropertyDescription(
      "How nodes are drained before they reboot. Pods annotated refit.dev/do-not-disrupt (\"true\","
          + " or a duration such as \"2h\" counted from the pod's start) are not evicted while"
          + " that holds: the drain waits for them, within its timeout.")
  @Default("{}")
  private Drain drain = new Drain();

  @JsonPropertyDescription("How an updated node proves it is healthy before it is uncordoned.")
  @Default("{}")
  private HealthCheck healthCheck = new HealthCheck();

  @JsonPropertyDescription("When the rollout halts because nodes failed, and what happens to them.")
  @Default("{}")
  private FailurePolicy failurePolicy = new FailurePolicy();

  @JsonPropertyDescription(
      "Node annotations external systems must set to \"true\" before Refit drains a node and"
          + " after its reboot (e.g. a storage system confirming its replicas moved away), each"
          + " waited for at most gates.timeoutSeconds.")
  private Gates gates;

  public OSUpdatePolicySpec() {}

  public Selector getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Selector nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public OSTarget getOs() {
    return os;
  }

  public void setOs(OSTarget os) {
    this.os = os;
  }

  public SELinuxPolicy getSelinux() {
    return selinux;
  }

  public void setSelinux(SELinuxPolicy selinux) {
    this.selinux = selinux;
  }

  public IntOrString getMaxUnavailable() {
    return maxUnavailable;
  }

  public void setMaxUnavailable(IntOrString maxUnavailable) {
    this.maxUnavailable = maxUnavailable == null ? new IntOrString(1) : maxUnavailable;
  }

  public Schedule getSchedule() {
    return schedule;
  }

  public void setSchedule(Schedule schedule) {
    this.schedule = schedule;
  }

  public Rollout getRollout() {
    return rollout;
  }

  public void setRollout(Rollout rollout) {
    this.rollout = rollout == null ? new Rollout() : rollout;
  }

  public Drain getDrain() {
    return drain;
  }

  public void setDrain(Drain drain) {
    this.drain = drain == null ? new Drain() : drain;
  }

  public HealthCheck getHealthCheck() {
    return healthCheck;
  }

  public void setHealthCheck(HealthCheck healthCheck) {
    this.healthCheck = healthCheck == null ? new HealthCheck() : healthCheck;
  }

  public FailurePolicy getFailurePolicy() {
    return failurePolicy;
  }

  public void setFailurePolicy(FailurePolicy failurePolicy) {
    this.failurePolicy = failurePolicy == null ? new FailurePolicy() : failurePolicy;
  }

  public Gates getGates() {
    return gates;
  }

  public void setGates(Gates gates) {
    this.gates = gates;
  }
}
