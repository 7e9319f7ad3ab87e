package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** A custom SELinux policy module in CIL, installed with semodule at a fixed priority. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.cil) != has(self.configMapRef)",
    message = "give the module's CIL source either inline in cil or through configMapRef, not both")
public class SELinuxModule {

  /** What admission says of a name outside {@link Patterns#SELINUX_MODULE}. */
  public static final String MODULE_NAME_RULE =
      "SELinux module names start with a letter, then letters, digits, underscores and hyphens,"
          + " with at most one dot between two of them and none at the end, like nginx-custom";

  /** Priority Refit installs modules at unless told otherwise (above distribution policy). */
  public static final int DEFAULT_PRIORITY = 400;

  @JsonPropertyDescription(
      "Module name, as semodule -l lists it: a letter, then letters, digits, underscores and"
          + " hyphens, with at most one dot between two of them and none at the end"
          + " (libsemanage's rule), like nginx-custom or my.app; at most 64 characters. semodule"
          + " takes the name of a CIL module from its file, which Refit names <name>.cil.")
  @Required
  @Size(min = 1, max = 64)
  @ValidationRule(
      value = "self.matches(r'" + Patterns.SELINUX_MODULE + "')",
      message = MODULE_NAME_RULE)
  private String name;

  @JsonPropertyDescription(
      "semodule priority the module is installed at (semodule -X). Distribution policy lives at"
          + " 100; the default, 400, overrides it. Modules Refit installed are removed at the same"
          + " priority when they leave this list.")
  @Default("400")
  @Min(200)
  @Max(999)
  private Integer priority = DEFAULT_PRIORITY;

  @JsonPropertyDescription("The module's source in CIL (Common Intermediate Language), inline.")
  @Size(min = 1, max = 65536)
  private String cil;

  @JsonPropertyDescription("A ConfigMap key holding the module's CIL source, instead of cil.")
  private ConfigMapKeyRef configMapRef;

  public SELinuxModule() {}

  /** A module with inline CIL at the default priority. */
  public static SELinuxModule inline(String name, String cil) {
    SELinuxModule module = new SELinuxModule();
    module.setName(name);
    module.setCil(cil);
    return module;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Integer getPriority() {
    return priority;
  }

  public void setPriority(Integer priority) {
    this.priority = priority == null ? DEFAULT_PRIORITY : priority;
  }

  public String getCil() {
    return cil;
  }

  public void setCil(String cil) {
    this.cil = cil;
  }

  public ConfigMapKeyRef getConfigMapRef() {
    return configMapRef;
  }

  public void setConfigMapRef(ConfigMapKeyRef configMapRef) {
    this.configMapRef = configMapRef;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SELinuxModule other
        && Objects.equals(name, other.name)
        && Objects.equals(priority, other.priority)
        && Objects.equals(cil, other.cil)
        && Objects.equals(configMapRef, other.configMapRef);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, priority, cil, configMapRef);
  }
}
