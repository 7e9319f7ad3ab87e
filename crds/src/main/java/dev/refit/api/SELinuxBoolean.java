package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** An SELinux boolean and the value it must persistently have. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SELinuxBoolean {

  @JsonPropertyDescription(
      "Boolean name as getsebool -a lists it, e.g. container_manage_cgroup or virt_use_nfs.")
  @Required
  @Size(min = 1, max = 128)
  @ValidationRule(
      value = "self.matches(r'" + Patterns.SELINUX_BOOLEAN + "')",
      message =
          "SELinux boolean names are lowercase letters, digits and underscores, starting with a"
              + " letter, as getsebool -a lists them")
  private String name;

  @JsonPropertyDescription("Value to set persistently (setsebool -P): true for on, false for off.")
  @Required
  private Boolean value;

  public SELinuxBoolean() {}

  public SELinuxBoolean(String name, boolean value) {
    this.name = name;
    this.value = value;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Boolean getValue() {
    return value;
  }

  public void setValue(Boolean value) {
    this.value = value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SELinuxBoolean other
        && Objects.equals(name, other.name)
        && Objects.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, value);
  }

  @Override
  public String toString() {
    return name + "=" + (Boolean.TRUE.equals(value) ? "on" : "off");
  }
}
