package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-offs to external systems: Node annotation keys that another system must set to {@code
 * "true"} before Refit continues (e.g. a storage system confirming replicas moved away).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Gates {

  @JsonPropertyDescription(
      "Annotation keys that must all be \"true\" on the Node before Refit drains it. The node"
          + " is cordoned and holds its slot while it waits, for at most timeoutSeconds. Refit"
          + " removes them when it lifts its cordon after the update, so each update asks again.")
  @Size(max = 8)
  @ValidationRule(
      value = "self.all(k, self.exists_one(j, j == k))",
      message = "beforeDrain must list distinct annotation keys, like storage.example.com/ready")
  @ValidationRule(
      value = KeyRules.ALL_NAME_LENGTH,
      message = "beforeDrain keys: " + KeyRules.NAME_LENGTH)
  @ValidationRule(value = KeyRules.ALL_NAME, message = "beforeDrain keys: " + KeyRules.NAME)
  @ValidationRule(
      value = KeyRules.ALL_PREFIX_LENGTH,
      message = "beforeDrain keys: " + KeyRules.PREFIX_LENGTH)
  @ValidationRule(value = KeyRules.ALL_PREFIX, message = "beforeDrain keys: " + KeyRules.PREFIX)
  private List<String> beforeDrain = new ArrayList<>();

  @JsonPropertyDescription(
      "Annotation keys that must all be \"true\" on the Node after its reboot, once it is Ready"
          + " and healthy, before Refit uncordons it; for at most timeoutSeconds from the new"
          + " boot, after which the node is Failed (GateTimedOut), keeps Refit's cordon and the"
          + " rollout halts. Refit removes them when it cordons the node (a confirmation from"
          + " before the update does not count) and when it lifts its cordon after the update.")
  @Size(max = 8)
  @ValidationRule(
      value = "self.all(k, self.exists_one(j, j == k))",
      message = "afterReboot must list distinct annotation keys, like storage.example.com/ready")
  @ValidationRule(
      value = KeyRules.ALL_NAME_LENGTH,
      message = "afterReboot keys: " + KeyRules.NAME_LENGTH)
  @ValidationRule(value = KeyRules.ALL_NAME, message = "afterReboot keys: " + KeyRules.NAME)
  @ValidationRule(
      value = KeyRules.ALL_PREFIX_LENGTH,
      message = "afterReboot keys: " + KeyRules.PREFIX_LENGTH)
  @ValidationRule(value = KeyRules.ALL_PREFIX, message = "afterReboot keys: " + KeyRules.PREFIX)
  private List<String> afterReboot = new ArrayList<>();

  @JsonPropertyDescription(
      "Seconds each gate may take: beforeDrain from the cordon, afterReboot from the new boot.")
  @Default("3600")
  @Min(10)
  @Max(604800)
  private Integer timeoutSeconds = 3600;

  @JsonPropertyDescription(
      "What a beforeDrain gate still unset after timeoutSeconds does: Halt (mark the node Failed,"
          + " uncordon it on its old OS and stop the rollout until a person acts) or Skip (uncordon"
          + " it, leave it on its old OS for this target and go on with the others). An afterReboot"
          + " gate that times out always halts: the node already runs the new OS.")
  @Default("Halt")
  private GateTimeout onTimeout = GateTimeout.Halt;

  public Gates() {}

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds == null ? 3600 : timeoutSeconds;
  }

  public GateTimeout getOnTimeout() {
    return onTimeout;
  }

  public void setOnTimeout(GateTimeout onTimeout) {
    this.onTimeout = onTimeout == null ? GateTimeout.Halt : onTimeout;
  }

  public List<String> getBeforeDrain() {
    return beforeDrain;
  }

  public void setBeforeDrain(List<String> beforeDrain) {
    this.beforeDrain = beforeDrain == null ? new ArrayList<>() : beforeDrain;
  }

  public List<String> getAfterReboot() {
    return afterReboot;
  }

  public void setAfterReboot(List<String> afterReboot) {
    this.afterReboot = afterReboot == null ? new ArrayList<>() : afterReboot;
  }
}
