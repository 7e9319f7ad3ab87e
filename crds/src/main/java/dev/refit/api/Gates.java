package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
      "Annotation keys that must all be \"true\" on the Node before Refit drains it. Refit"
          + " removes them after the node's update so each update asks again.")
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
      "Annotation keys that must all be \"true\" on the Node after its reboot before Refit"
          + " uncordons it. Refit removes them after the node's update so each update asks again.")
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

  public Gates() {}

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
