package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** What a node's agent reports about its host. Written only by the node-updater. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OSNodeStatus {

  @JsonPropertyDescription("The metadata.generation of the OSNode the agent last acted on.")
  private Long observedGeneration;

  @JsonPropertyDescription("OS family detected from the host's /etc/os-release.")
  private OSFamily family;

  @JsonPropertyDescription("The deployment the host booted and runs now.")
  private HostDeployment booted;

  @JsonPropertyDescription("A deployment staged for the next boot, if any.")
  private HostDeployment staged;

  @JsonPropertyDescription("The deployment a rollback would boot, if any.")
  private HostDeployment rollback;

  @JsonPropertyDescription("Whether a staged change waits for a reboot to take effect.")
  private Boolean rebootPending;

  @JsonPropertyDescription(
      "The host's boot ID (/proc/sys/kernel/random/boot_id). A changed boot ID proves a reboot.")
  private String bootId;

  @JsonPropertyDescription("SELinux facts of the host.")
  private SELinuxStatus selinux;

  @JsonPropertyDescription(
      "How the host's SELinux state differs from spec.selinux, one sentence each, such as"
          + " \"httpd_can_network_connect is off, declared on\", \"module nginx-custom is not"
          + " installed, declared at priority 400\" or \"running Permissive, declared Enforcing\"."
          + " Mode first, then booleans and modules in the spec's order; at most 16 entries, the"
          + " last one counting the rest. Before an Apply it names the change still to make; on a"
          + " host that had the declared state, a change made on the host by hand (drift). Read at"
          + " every fact refresh of the agent. Absent when nothing differs, when spec.selinux is"
          + " empty, and where the OS fixes its policy (Bottlerocket).")
  @Size(max = 16)
  private List<String> selinuxDrift;

  @JsonPropertyDescription("Revision the host runs now (equals spec.desiredRevision when done).")
  private String currentRevision;

  @JsonPropertyDescription("Revision staged for the next boot, if any.")
  private String stagedRevision;

  @JsonPropertyDescription("Identity (spec.actionId) of the instruction the agent last acted on.")
  private String observedActionId;

  @JsonPropertyDescription(
      "How far the agent got with that instruction: Running, Succeeded, Failed.")
  private ActionState actionState;

  @JsonPropertyDescription(
      "Boot ID recorded just before the agent rebooted for the observed instruction; a reboot is"
          + " done when bootId differs from it.")
  private String bootIdBeforeAction;

  @JsonPropertyDescription(
      "Conditions: Eligible (False while something on the host, such as another agent that"
          + " reboots it on its own, makes an update unsafe; the reason and message say what and"
          + " what to do, and no work starts until it is fixed), Staged, Rebooted, Degraded.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The last error the agent met, if any.")
  private HostError lastError;

  public OSNodeStatus() {}

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public OSFamily getFamily() {
    return family;
  }

  public void setFamily(OSFamily family) {
    this.family = family;
  }

  public HostDeployment getBooted() {
    return booted;
  }

  public void setBooted(HostDeployment booted) {
    this.booted = booted;
  }

  public HostDeployment getStaged() {
    return staged;
  }

  public void setStaged(HostDeployment staged) {
    this.staged = staged;
  }

  public HostDeployment getRollback() {
    return rollback;
  }

  public void setRollback(HostDeployment rollback) {
    this.rollback = rollback;
  }

  public Boolean getRebootPending() {
    return rebootPending;
  }

  public void setRebootPending(Boolean rebootPending) {
    this.rebootPending = rebootPending;
  }

  public String getBootId() {
    return bootId;
  }

  public void setBootId(String bootId) {
    this.bootId = bootId;
  }

  public SELinuxStatus getSelinux() {
    return selinux;
  }

  public void setSelinux(SELinuxStatus selinux) {
    this.selinux = selinux;
  }

  public List<String> getSelinuxDrift() {
    return selinuxDrift;
  }

  public void setSelinuxDrift(List<String> selinuxDrift) {
    this.selinuxDrift = selinuxDrift;
  }

  public String getCurrentRevision() {
    return currentRevision;
  }

  public void setCurrentRevision(String currentRevision) {
    this.currentRevision = currentRevision;
  }

  public String getStagedRevision() {
    return stagedRevision;
  }

  public void setStagedRevision(String stagedRevision) {
    this.stagedRevision = stagedRevision;
  }

  public String getObservedActionId() {
    return observedActionId;
  }

  public void setObservedActionId(String observedActionId) {
    this.observedActionId = observedActionId;
  }

  public ActionState getActionState() {
    return actionState;
  }

  public void setActionState(ActionState actionState) {
    this.actionState = actionState;
  }

  public String getBootIdBeforeAction() {
    return bootIdBeforeAction;
  }

  public void setBootIdBeforeAction(String bootIdBeforeAction) {
    this.bootIdBeforeAction = bootIdBeforeAction;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  public HostError getLastError() {
    return lastError;
  }

  public void setLastError(HostError lastError) {
    this.lastError = lastError;
  }
}
