package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SELinux state a node must have. Anything left out is left as the host has it; booleans,
 * modules and a switch between Enforcing and Permissive apply live; only turning on SELinux that is
 * disabled in the running boot takes a reboot.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SELinuxPolicy {

  @JsonPropertyDescription(
      "Mode the node runs in: Enforcing or Permissive. Switched live (setenforce) and written"
          + " to /etc/selinux/config for the next boot; only a host whose SELinux is disabled in"
          + " the running boot takes a reboot (through the normal drain) to turn it on. Omit to"
          + " leave the mode as it is.")
  private SELinuxMode mode;

  @JsonPropertyDescription(
      "Booleans to set persistently (setsebool -P). Each name may appear once. Booleans not"
          + " listed are left as they are.")
  @Size(max = 128)
  @ValidationRule(
      value = "self.all(b, self.exists_one(c, c.name == b.name))",
      message = "each SELinux boolean may be listed once: remove the duplicate name")
  private List<SELinuxBoolean> booleans = new ArrayList<>();

  @JsonPropertyDescription(
      "Custom policy modules to install (semodule -i at the module's priority). Each name may"
          + " appear once. A module Refit installed that leaves this list is removed.")
  @Size(max = 32)
  @ValidationRule(
      value = "self.all(m, self.exists_one(n, n.name == m.name))",
      message = "each SELinux module may be listed once: remove the duplicate name")
  private List<SELinuxModule> modules = new ArrayList<>();

  public SELinuxPolicy() {}

  public SELinuxMode getMode() {
    return mode;
  }

  public void setMode(SELinuxMode mode) {
    this.mode = mode;
  }

  public List<SELinuxBoolean> getBooleans() {
    return booleans;
  }

  public void setBooleans(List<SELinuxBoolean> booleans) {
    this.booleans = booleans == null ? new ArrayList<>() : booleans;
  }

  public List<SELinuxModule> getModules() {
    return modules;
  }

  public void setModules(List<SELinuxModule> modules) {
    this.modules = modules == null ? new ArrayList<>() : modules;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SELinuxPolicy other
        && mode == other.mode
        && Objects.equals(booleans, other.booleans)
        && Objects.equals(modules, other.modules);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, booleans, modules);
  }
}
