package dev.refit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refit.sim.Scenario.NodeGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * Something that happens at a moment of the run: to the operator, the agents, a policy, the nodes
 * or a budget. Exactly one action per event; see docs/simulator.md.
 *
 * @param atSeconds when, counted from the moment the policies are applied
 * @param killOperator kill the leading operator replica hard (SIGKILL) and start it again
 * @param restartAgent restart the agent of this node (its process, not the host), or {@code all}
 * @param editPolicy the policy to edit, with {@code spec}: a JSON merge patch of its spec (a new
 *     target, pause or resume, another selector or maxUnavailable), as a person's kubectl edit
 * @param spec the merge patch for {@code editPolicy}
 * @param deletePolicy the policy to delete
 * @param addNodes a node group that joins the cluster
 * @param deleteNode a node removed from the cluster (its pods go with it)
 * @param cordon a node a person cordons (Refit must leave that cordon alone)
 * @param uncordon a node a person uncordons (their own cordon)
 * @param relaxBudget the workload whose budget is relaxed to allow one disruption at a time
 * @param selinux a change a person makes by hand to the SELinux of some hosts (drift)
 */
public record TimedEvent(
    Double atSeconds,
    Boolean killOperator,
    String restartAgent,
    String editPolicy,
    JsonNode spec,
    String deletePolicy,
    NodeGroup addNodes,
    String deleteNode,
    String cordon,
    String uncordon,
    String relaxBudget,
    SelinuxChange selinux) {

  /** Why the event cannot be run, or null when it is sound. */
  String problem() {
    if (atSeconds == null || atSeconds < 0) {
      return "an event needs atSeconds (0 or more)";
    }
    List<String> actions = new ArrayList<>();
    add(actions, Boolean.TRUE.equals(killOperator), "killOperator");
    add(actions, restartAgent != null, "restartAgent");
    add(actions, editPolicy != null, "editPolicy");
    add(actions, deletePolicy != null, "deletePolicy");
    add(actions, addNodes != null, "addNodes");
    add(actions, deleteNode != null, "deleteNode");
    add(actions, cordon != null, "cordon");
    add(actions, uncordon != null, "uncordon");
    add(actions, relaxBudget != null, "relaxBudget");
    add(actions, selinux != null, "selinux");
    if (actions.size() != 1) {
      return "an event does exactly one thing, found "
          + (actions.isEmpty() ? "none" : String.join(", ", actions));
    }
    if (editPolicy != null && (spec == null || !spec.isObject())) {
      return "editPolicy needs spec: the fields of the policy's spec to change";
    }
    if (addNodes != null && addNodes.problem() != null) {
      return "addNodes: " + addNodes.problem();
    }
    if (selinux != null && selinux.problem() != null) {
      return selinux.problem();
    }
    return null;
  }

  /** What the event does, for the progress notes. */
  String describe() {
    if (Boolean.TRUE.equals(killOperator)) {
      return "the leading operator killed (SIGKILL) and started again";
    }
    if (restartAgent != null) {
      return "all".equals(restartAgent)
          ? "every agent restarted"
          : "the agent of " + restartAgent + " restarted";
    }
    if (editPolicy != null) {
      return "policy " + editPolicy + " edited: " + spec;
    }
    if (deletePolicy != null) {
      return "policy " + deletePolicy + " deleted";
    }
    if (addNodes != null) {
      return addNodes.names().size()
          + " nodes joined ("
          + String.join(", ", addNodes.names())
          + ")";
    }
    if (deleteNode != null) {
      return "node " + deleteNode + " removed from the cluster";
    }
    if (cordon != null) {
      return "a person cordoned " + cordon;
    }
    if (uncordon != null) {
      return "a person uncordoned " + uncordon;
    }
    if (selinux != null) {
      return selinux.describe();
    }
    return "the budget of " + relaxBudget + " relaxed";
  }

  private static void add(List<String> actions, boolean present, String name) {
    if (present) {
      actions.add(name);
    }
  }
}
