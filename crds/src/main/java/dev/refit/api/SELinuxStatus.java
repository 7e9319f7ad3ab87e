package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The SELinux facts of a host, as its tools report them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SELinuxStatus {

  @JsonPropertyDescription(
      "Mode the host runs in now (getenforce): Enforcing, Permissive or Disabled.")
  private String mode;

  @JsonPropertyDescription("Mode the host will boot in (SELINUX= in /etc/selinux/config).")
  private String configuredMode;

  @JsonPropertyDescription(
      "Current values of the booleans the policy names (others are not reported).")
  private List<SELinuxBoolean> booleans = new ArrayList<>();

  @JsonPropertyDescription("Modules installed at Refit's priorities, by name.")
  private List<String> modules = new ArrayList<>();

  @JsonPropertyDescription(
      "Whether the policy can be changed on this host (false on Bottlerocket, whose policy is"
          + " fixed).")
  private Boolean configurable;

  public SELinuxStatus() {}

  public String getMode() {
    return mode;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }

  public String getConfiguredMode() {
    return configuredMode;
  }

  public void setConfiguredMode(String configuredMode) {
    this.configuredMode = configuredMode;
  }

  public List<SELinuxBoolean> getBooleans() {
    return booleans;
  }

  public void setBooleans(List<SELinuxBoolean> booleans) {
    this.booleans = booleans == null ? new ArrayList<>() : booleans;
  }

  public List<String> getModules() {
    return modules;
  }

  public void setModules(List<String> modules) {
    this.modules = modules == null ? new ArrayList<>() : modules;
  }

  public Boolean getConfigurable() {
    return configurable;
  }

  public void setConfigurable(Boolean configurable) {
    this.configurable = configurable;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SELinuxStatus other
        && Objects.equals(mode, other.mode)
        && Objects.equals(configuredMode, other.configuredMode)
        && Objects.equals(booleans, other.booleans)
        && Objects.equals(modules, other.modules)
        && Objects.equals(configurable, other.configurable);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, configuredMode, booleans, modules, configurable);
  }
}
