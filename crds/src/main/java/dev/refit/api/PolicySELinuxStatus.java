package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SELinux side of a policy's rollout: which part of the pending change applies live and which
 * takes a drain and a reboot, the nodes whose SELinux state drifted from the declared one, and the
 * nodes whose policy cannot be changed at all.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PolicySELinuxStatus {

  /** Every field, so a merge patch can remove those a new status lacks. */
  public static final List<String> FIELDS =
      List.of(
          "live",
          "reboot",
          "liveNodes",
          "rebootNodes",
          "drifted",
          "driftedNodes",
          "notConfigurable",
          "notConfigurableNodes");

  /** How many entries each list holds at most; the counts cover the rest. */
  public static final int MAX_ENTRIES = 10;

  @JsonPropertyDescription(
      "What the nodes still to update will change without a cordon, drain or reboot (SELinux"
          + " booleans, modules, Enforcing and Permissive), each with the number of nodes it"
          + " concerns. Such a change still takes a disruption slot and is verified node by node.")
  private List<String> live = new ArrayList<>();

  @JsonPropertyDescription(
      "What the nodes still to update will change through a drain and a reboot (a new OS, SELinux"
          + " enabled at boot), each with the number of nodes it concerns. A node whose change has"
          + " both parts takes them in one disruption.")
  private List<String> reboot = new ArrayList<>();

  @JsonPropertyDescription("How many nodes still to update need no reboot.")
  private int liveNodes;

  @JsonPropertyDescription("How many nodes still to update need a reboot.")
  private int rebootNodes;

  @JsonPropertyDescription(
      "How many nodes run the target but lost the declared SELinux state (changed by hand on the"
          + " host) and are being brought back to it, live where possible.")
  private int drifted;

  @JsonPropertyDescription(
      "The drifted nodes, each with what differs in words (at most 10; drifted counts them all).")
  private List<NodeProblem> driftedNodes = new ArrayList<>();

  @JsonPropertyDescription(
      "How many nodes cannot have what spec.selinux declares because their OS fixes the policy"
          + " (Bottlerocket is always Enforcing, with no booleans or modules to set); their OS"
          + " update goes on without it.")
  private int notConfigurable;

  @JsonPropertyDescription(
      "The nodes notConfigurable counts (at most 10), each with the part of spec.selinux it"
          + " cannot have.")
  private List<NodeProblem> notConfigurableNodes = new ArrayList<>();

  public PolicySELinuxStatus() {}

  /** Whether there is nothing to say. */
  public boolean empty() {
    return live.isEmpty()
        && reboot.isEmpty()
        && liveNodes == 0
        && rebootNodes == 0
        && drifted == 0
        && notConfigurable == 0;
  }

  public List<String> getLive() {
    return live;
  }

  public void setLive(List<String> live) {
    this.live = live == null ? new ArrayList<>() : live;
  }

  public List<String> getReboot() {
    return reboot;
  }

  public void setReboot(List<String> reboot) {
    this.reboot = reboot == null ? new ArrayList<>() : reboot;
  }

  public int getLiveNodes() {
    return liveNodes;
  }

  public void setLiveNodes(int liveNodes) {
    this.liveNodes = liveNodes;
  }

  public int getRebootNodes() {
    return rebootNodes;
  }

  public void setRebootNodes(int rebootNodes) {
    this.rebootNodes = rebootNodes;
  }

  public int getDrifted() {
    return drifted;
  }

  public void setDrifted(int drifted) {
    this.drifted = drifted;
  }

  public List<NodeProblem> getDriftedNodes() {
    return driftedNodes;
  }

  public void setDriftedNodes(List<NodeProblem> driftedNodes) {
    this.driftedNodes = driftedNodes == null ? new ArrayList<>() : driftedNodes;
  }

  public int getNotConfigurable() {
    return notConfigurable;
  }

  public void setNotConfigurable(int notConfigurable) {
    this.notConfigurable = notConfigurable;
  }

  public List<NodeProblem> getNotConfigurableNodes() {
    return notConfigurableNodes;
  }

  public void setNotConfigurableNodes(List<NodeProblem> notConfigurableNodes) {
    this.notConfigurableNodes =
        notConfigurableNodes == null ? new ArrayList<>() : notConfigurableNodes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicySELinuxStatus other
        && liveNodes == other.liveNodes
        && rebootNodes == other.rebootNodes
        && drifted == other.drifted
        && notConfigurable == other.notConfigurable
        && live.equals(other.live)
        && reboot.equals(other.reboot)
        && driftedNodes.equals(other.driftedNodes)
        && notConfigurableNodes.equals(other.notConfigurableNodes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        live, reboot, liveNodes, rebootNodes, drifted, driftedNodes, notConfigurable);
  }
}
