package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/**
 * The operator's work order for one node: what it must run, what the agent must do now, and where
 * the node stands in its lifecycle. Written only by the operator.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OSNodeSpec {

  @JsonPropertyDescription("Name of the OSUpdatePolicy that manages the node.")
  @Required
  @Size(min = 1, max = 253)
  private String policy;

  @JsonPropertyDescription("Revision (hash of os and selinux) the node must reach.")
  @Size(max = 64)
  private String desiredRevision;

  @JsonPropertyDescription("The target, as a person reads it: the OS version or image.")
  private String target;

  @JsonPropertyDescription("The operating system the node must run.")
  private OSTarget os;

  @JsonPropertyDescription("The SELinux state the node must have.")
  private SELinuxPolicy selinux;

  @JsonPropertyDescription(
      "The content digest of each SELinux module's CIL source, by module name (sha256: and 64 hex"
          + " digits), as the operator read it inline or from the module's ConfigMap for"
          + " desiredRevision. The agent tells an installed module from a changed one by this"
          + " digest, without reading the source; it reads the source only to install it, and"
          + " installs it only if it still has this digest.")
  private Map<String, String> moduleDigests;

  @JsonPropertyDescription(
      "What the agent must do now: None, Stage (download, no disruption), Apply (make the staged"
          + " target current, rebooting if needed; only once the node is drained), Rollback.")
  @Default("None")
  private NodeAction action = NodeAction.None;

  @JsonPropertyDescription(
      "Identity of the current instruction. The agent carries out each instruction at most once"
          + " and reports the identity it acted on in status.observedActionId.")
  @Size(max = 128)
  private String actionId;

  @JsonPropertyDescription(
      "Where the node is in its update lifecycle, as the operator records it: UpToDate, Pending,"
          + " Staging, Staged, Cordoned, Draining, Drained, Rebooting, Applying, Verifying, Failed,"
          + " Skipped, RollingBack. Delete the OSNode to make Refit start the node over.")
  @Default("Pending")
  private NodeState state = NodeState.Pending;

  @JsonPropertyDescription(
      "When the node entered its current state (RFC 3339); timeouts count from it.")
  private String stateSince;

  @JsonPropertyDescription(
      "CamelCase reason for the state: StageFailed, DrainBlocked, DrainTimedOut, RebootTimeout,"
          + " ReadyTimeout, ...")
  @Size(max = 128)
  private String reason;

  @JsonPropertyDescription("Why the node is in its state, or what it waits for.")
  @Size(max = 4096)
  private String message;

  @JsonPropertyDescription("Failed attempts at the current revision.")
  @Min(0)
  private Integer attempts;

  public OSNodeSpec() {}

  public String getPolicy() {
    return policy;
  }

  public void setPolicy(String policy) {
    this.policy = policy;
  }

  public String getDesiredRevision() {
    return desiredRevision;
  }

  public void setDesiredRevision(String desiredRevision) {
    this.desiredRevision = desiredRevision;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
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

  public Map<String, String> getModuleDigests() {
    return moduleDigests;
  }

  public void setModuleDigests(Map<String, String> moduleDigests) {
    this.moduleDigests = moduleDigests;
  }

  public NodeAction getAction() {
    return action;
  }

  public void setAction(NodeAction action) {
    this.action = action == null ? NodeAction.None : action;
  }

  public String getActionId() {
    return actionId;
  }

  public void setActionId(String actionId) {
    this.actionId = actionId;
  }

  public NodeState getState() {
    return state;
  }

  public void setState(NodeState state) {
    this.state = state == null ? NodeState.Pending : state;
  }

  public String getStateSince() {
    return stateSince;
  }

  public void setStateSince(String stateSince) {
    this.stateSince = stateSince;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public Integer getAttempts() {
    return attempts;
  }

  public void setAttempts(Integer attempts) {
    this.attempts = attempts;
  }
}
