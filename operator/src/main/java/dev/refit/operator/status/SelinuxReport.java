package dev.refit.operator.status;

import dev.refit.api.HostDeployment;
import dev.refit.api.NodeProblem;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.OSTarget;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.PolicySELinuxStatus;
import dev.refit.api.RefitApi;
import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxMode;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.operator.lifecycle.AgentReport;
import dev.refit.operator.plan.Round;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SELinux side of a policy's status: which part of the pending change the nodes still to update
 * take live and which through a reboot, the nodes that drifted from the declared SELinux state, and
 * the nodes whose OS cannot have it. Pure.
 *
 * <p>What differs on a node is what its agent reports ({@code status.selinuxDrift}) and, for the
 * OS, its booted deployment against the target. Whether a node's change reboots is its agent's
 * answer once the target is staged ({@code rebootPending}); before that, a new OS reboots and
 * SELinux alone does not.
 */
public final class SelinuxReport {

  private SelinuxReport() {}

  /** The report, or null when there is nothing to say. */
  public static PolicySELinuxStatus of(
      OSUpdatePolicySpec spec,
      List<Round.NodeResult> nodes,
      OSUpdatePolicyStatus previous,
      Instant now) {
    PolicySELinuxStatus status = new PolicySELinuxStatus();
    Map<String, Integer> live = new TreeMap<>();
    Map<String, Integer> reboot = new TreeMap<>();
    List<NodeProblem> drifted = new ArrayList<>();
    List<NodeProblem> fixed = new ArrayList<>();
    String request = unsupportedRequest(spec.getSelinux());
    for (Round.NodeResult node : nodes) {
      AgentReport agent = node.facts().agent();
      OSNodeStatus facts = facts(node.input().osNode());
      if (NodeReasons.SELINUX_DRIFT.equals(node.last().reason())) {
        drifted.add(problem(node.name(), NodeReasons.SELINUX_DRIFT, drift(agent), previous, now));
      }
      if (request != null && policyFixed(facts)) {
        fixed.add(
            problem(
                node.name(),
                NodeReasons.SELINUX_NOT_CONFIGURABLE,
                "its OS fixes its SELinux policy (always Enforcing, no booleans or modules to set),"
                    + " so it cannot have "
                    + request
                    + "; its OS update goes on without it",
                previous,
                now));
      }
      if (!pending(node)) {
        continue;
      }
      List<String> changes = new ArrayList<>();
      boolean newOs = facts != null && osDiffers(facts.getBooted(), spec.getOs());
      if (newOs) {
        changes.add("OS " + spec.getOs().display());
      }
      changes.addAll(agent.selinuxDrift());
      if (changes.isEmpty()) {
        continue;
      }
      boolean reboots =
          newOs
              || node.facts().revision().equals(agent.stagedRevision())
                  && Boolean.TRUE.equals(agent.rebootPending());
      Map<String, Integer> into = reboots ? reboot : live;
      changes.forEach(c -> into.merge(c, 1, Integer::sum));
      if (reboots) {
        status.setRebootNodes(status.getRebootNodes() + 1);
      } else {
        status.setLiveNodes(status.getLiveNodes() + 1);
      }
    }
    status.setLive(listed(live));
    status.setReboot(listed(reboot));
    status.setDrifted(drifted.size());
    status.setDriftedNodes(bounded(drifted));
    status.setNotConfigurable(fixed.size());
    status.setNotConfigurableNodes(bounded(fixed));
    return status.empty() ? null : status;
  }

  /**
   * The part of spec.selinux a host with a fixed policy cannot have, as a person reads it ("mode
   * Permissive, booleans a, b, modules m"), or null when it asks for nothing such a host lacks.
   */
  static String unsupportedRequest(SELinuxPolicy selinux) {
    if (selinux == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    if (selinux.getMode() == SELinuxMode.Permissive) {
      parts.add("mode Permissive");
    }
    if (!selinux.getBooleans().isEmpty()) {
      parts.add(
          "booleans "
              + String.join(
                  ", ", selinux.getBooleans().stream().map(SELinuxBoolean::getName).toList()));
    }
    if (!selinux.getModules().isEmpty()) {
      parts.add(
          "modules "
              + String.join(
                  ", ", selinux.getModules().stream().map(SELinuxModule::getName).toList()));
    }
    return parts.isEmpty() ? null : String.join(", ", parts);
  }

  /**
   * A Degraded message for the nodes that cannot have spec.selinux, or null when there are none.
   */
  static String degradedMessage(PolicySELinuxStatus status, SELinuxPolicy selinux) {
    if (status == null || status.getNotConfigurable() == 0) {
      return null;
    }
    int count = status.getNotConfigurable();
    List<String> names =
        status.getNotConfigurableNodes().stream().map(NodeProblem::getNode).toList();
    String shown = String.join(", ", names);
    if (count > names.size()) {
      shown += " and " + (count - names.size()) + " more";
    }
    return count
        + (count == 1 ? " node" : " nodes")
        + " ("
        + shown
        + ") cannot have "
        + unsupportedRequest(selinux)
        + ": their OS fixes its SELinux policy (Bottlerocket: always Enforcing, no booleans or"
        + " modules); their OS update goes on without it. Give them a policy without these, or"
        + " label them "
        + RefitApi.EXCLUDE_LABEL
        + "=true";
  }

  /** Whether the node still has to take the target: neither on it nor left behind. */
  private static boolean pending(Round.NodeResult node) {
    NodeState state = node.last().state();
    return state != NodeState.UpToDate
        && state != NodeState.Failed
        && state != NodeState.Skipped
        && !node.facts().revision().equals(node.facts().agent().currentRevision());
  }

  private static OSNodeStatus facts(OSNode osNode) {
    return osNode == null ? null : osNode.getStatus();
  }

  /** A host whose OS fixes its SELinux policy: Bottlerocket, or any whose agent says so. */
  private static boolean policyFixed(OSNodeStatus facts) {
    return facts != null
        && (facts.getFamily() == OSFamily.Bottlerocket
            || facts.getSelinux() != null
                && Boolean.FALSE.equals(facts.getSelinux().getConfigurable()));
  }

  /**
   * Whether the booted deployment is not the target: a version target by its version, an image by
   * its digest when the target pins one, else by its reference. Unknown (nothing reported) counts
   * as the same: the agent's own answer decides once it reports.
   */
  static boolean osDiffers(HostDeployment booted, OSTarget target) {
    if (booted == null || target == null) {
      return false;
    }
    if (target.getVersion() != null) {
      return !target.getVersion().equals(booted.getVersion());
    }
    String image = target.getImage();
    if (image == null) {
      return false;
    }
    int at = image.indexOf('@');
    if (at > 0) {
      return !image.substring(at + 1).equals(booted.getDigest());
    }
    return !image.equals(booted.getImage());
  }

  private static String drift(AgentReport agent) {
    return agent.selinuxDrift().isEmpty()
        ? "its SELinux state drifted from the declared one"
        : String.join("; ", agent.selinuxDrift());
  }

  private static NodeProblem problem(
      String node, String reason, String message, OSUpdatePolicyStatus previous, Instant now) {
    return new NodeProblem(node, reason, message, since(previous, node, reason, now));
  }

  /** When the node's entry began: carried forward from the previous status when it is the same. */
  private static String since(
      OSUpdatePolicyStatus previous, String node, String reason, Instant now) {
    List<NodeProblem> before = new ArrayList<>();
    if (previous != null && previous.getSelinux() != null) {
      before.addAll(previous.getSelinux().getDriftedNodes());
      before.addAll(previous.getSelinux().getNotConfigurableNodes());
    }
    return PolicyStatusComposer.since(before, node, reason, now);
  }

  /** "text (N nodes)", the most common first, at most {@link PolicySELinuxStatus#MAX_ENTRIES}. */
  private static List<String> listed(Map<String, Integer> changes) {
    List<String> listed =
        changes.entrySet().stream()
            .sorted(
                Comparator.comparing(Map.Entry<String, Integer>::getValue)
                    .reversed()
                    .thenComparing(Map.Entry::getKey))
            .map(e -> e.getKey() + " (" + e.getValue() + (e.getValue() == 1 ? " node)" : " nodes)"))
            .toList();
    if (listed.size() <= PolicySELinuxStatus.MAX_ENTRIES) {
      return listed;
    }
    List<String> shown = new ArrayList<>(listed.subList(0, PolicySELinuxStatus.MAX_ENTRIES - 1));
    shown.add("and " + (listed.size() - shown.size()) + " more changes");
    return shown;
  }

  private static List<NodeProblem> bounded(List<NodeProblem> entries) {
    return entries.size() > PolicySELinuxStatus.MAX_ENTRIES
        ? new ArrayList<>(entries.subList(0, PolicySELinuxStatus.MAX_ENTRIES))
        : entries;
  }
}
