package dev.refit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.refit.api.OSFamily;
import dev.refit.sim.Scenario.NodeGroup;
import dev.refit.sim.Scenario.OsSpec;
import dev.refit.sim.Scenario.Pdb;
import dev.refit.sim.Scenario.WorkloadSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real cluster's fleet, from {@code kubectl get nodes,pods,pdb -A -o yaml}: its nodes (labels,
 * cordons, readiness, OS), the replicated workloads its pods belong to, and their budgets.
 * DaemonSet and static pods are left to the simulated kubelets; bare and finished pods are not
 * simulated. Pods are spread over the nodes that fit them, not placed exactly where they ran.
 */
final class FleetSnapshot {

  final List<NodeGroup> nodes;
  final List<WorkloadSpec> workloads;
  final List<String> skipped;

  private FleetSnapshot(List<NodeGroup> nodes, List<WorkloadSpec> workloads, List<String> skipped) {
    this.nodes = nodes;
    this.workloads = workloads;
    this.skipped = skipped;
  }

  static FleetSnapshot read(Path file) throws IOException {
    JsonNode list = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    if (list == null || !list.has("items")) {
      throw new IOException(
          file + ": not the output of kubectl get nodes,pods,pdb -A -o yaml (no items)");
    }
    List<Node> nodes = new ArrayList<>();
    List<Pod> pods = new ArrayList<>();
    List<PodDisruptionBudget> budgets = new ArrayList<>();
    for (JsonNode item : list.get("items")) {
      String kind = item.path("kind").asText();
      switch (kind) {
        case "Node" -> nodes.add(Serialization.unmarshal(item.toString(), Node.class));
        case "Pod" -> pods.add(Serialization.unmarshal(item.toString(), Pod.class));
        case "PodDisruptionBudget" ->
            budgets.add(Serialization.unmarshal(item.toString(), PodDisruptionBudget.class));
        default -> {}
      }
    }
    if (nodes.isEmpty()) {
      throw new IOException(file + ": the snapshot holds no Node");
    }
    List<String> skipped = new ArrayList<>();
    return new FleetSnapshot(nodeGroups(nodes), workloads(pods, budgets, skipped), skipped);
  }

  /** The scenario with this fleet; without a scenario of its own, a rehearsal policy. */
  Scenario applyTo(Scenario scenario, boolean defaultPolicy) throws IOException {
    Scenario base = scenario.withFleet(nodes, workloads);
    if (!defaultPolicy) {
      return base;
    }
    JsonNode policy =
        new ObjectMapper(new YAMLFactory())
            .readTree(
                "apiVersion: refit.dev/v1alpha1\n"
                    + "kind: OSUpdatePolicy\n"
                    + "metadata: {name: rehearsal}\n"
                    + "spec:\n"
                    + "  nodeSelector: {matchExpressions: [{key: kubernetes.io/hostname, operator: Exists}]}\n"
                    + "  os: {version: rehearsal-target}\n"
                    + "  maxUnavailable: \"10%\"\n");
    return new Scenario(
        base.nodes(),
        base.workloads(),
        base.timing(),
        base.faults(),
        List.of(policy),
        base.timeoutSeconds());
  }

  private static List<NodeGroup> nodeGroups(List<Node> nodes) {
    List<NodeGroup> groups = new ArrayList<>();
    for (Node node : nodes) {
      Map<String, String> labels =
          node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
      boolean cordoned =
          node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
      boolean ready =
          node.getStatus() != null
              && node.getStatus().getConditions() != null
              && node.getStatus().getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      String image =
          node.getStatus() == null || node.getStatus().getNodeInfo() == null
              ? ""
              : node.getStatus().getNodeInfo().getOsImage();
      groups.add(
          new NodeGroup(
              1, null, labels, os(image), null, node.getMetadata().getName(), cordoned, !ready));
    }
    return groups;
  }

  private static final Pattern VERSION = Pattern.compile("([0-9]+(\\.[0-9]+)+)");

  /** The OS of a node, from its nodeInfo.osImage ("Fedora CoreOS 41.20250105.3.0"). */
  static OsSpec os(String osImage) {
    String text = osImage == null ? "" : osImage;
    OSFamily family = OSFamily.FedoraCoreOS;
    String lower = text.toLowerCase();
    if (lower.contains("bottlerocket")) {
      family = OSFamily.Bottlerocket;
    } else if (lower.contains("flatcar")) {
      family = OSFamily.Flatcar;
    } else if (lower.contains("red hat enterprise linux coreos")) {
      family = OSFamily.RHCOS;
    } else if (lower.contains("centos stream coreos")) {
      family = OSFamily.CentOSStreamCoreOS;
    }
    Matcher version = VERSION.matcher(text);
    return new OsSpec(family, version.find() ? version.group(1) : "unknown", null);
  }

  private static List<WorkloadSpec> workloads(
      List<Pod> pods, List<PodDisruptionBudget> budgets, List<String> skipped) {
    Map<String, List<Pod>> byOwner = new LinkedHashMap<>();
    for (Pod pod : pods) {
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      Optional<OwnerReference> owner = controller(pod);
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        continue;
      }
      if (owner.isEmpty()) {
        skipped.add(
            pod.getMetadata().getNamespace()
                + "/"
                + pod.getMetadata().getName()
                + " (no controller)");
        continue;
      }
      if ("DaemonSet".equals(owner.get().getKind()) || "Node".equals(owner.get().getKind())) {
        continue;
      }
      byOwner
          .computeIfAbsent(
              pod.getMetadata().getNamespace() + "/" + owner.get().getName(),
              k -> new ArrayList<>())
          .add(pod);
    }
    List<WorkloadSpec> workloads = new ArrayList<>();
    byOwner.forEach(
        (key, members) -> {
          Pod first = members.get(0);
          Map<String, String> selector =
              first.getSpec().getNodeSelector() == null
                  ? Map.of()
                  : first.getSpec().getNodeSelector();
          long grace =
              first.getSpec().getTerminationGracePeriodSeconds() == null
                  ? 30
                  : first.getSpec().getTerminationGracePeriodSeconds();
          Pdb pdb =
              budgets.stream()
                  .filter(
                      b ->
                          b.getMetadata().getNamespace().equals(first.getMetadata().getNamespace()))
                  .filter(b -> selects(b.getSpec().getSelector(), first.getMetadata().getLabels()))
                  .findFirst()
                  .map(b -> new Pdb(b.getSpec().getMinAvailable(), b.getSpec().getMaxUnavailable()))
                  .orElse(null);
          workloads.add(
              new WorkloadSpec(
                  key.substring(key.indexOf('/') + 1),
                  first.getMetadata().getNamespace(),
                  members.size(),
                  selector,
                  pdb,
                  (double) Math.min(grace, 30),
                  5.0));
        });
    return workloads;
  }

  private static Optional<OwnerReference> controller(Pod pod) {
    return pod.getMetadata().getOwnerReferences() == null
        ? Optional.empty()
        : pod.getMetadata().getOwnerReferences().stream()
            .filter(o -> Boolean.TRUE.equals(o.getController()))
            .findFirst();
  }

  static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null || labels == null) {
      return false;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    return selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty()
        ? selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty()
        : selector.getMatchExpressions().stream()
            .allMatch(
                r ->
                    switch (r.getOperator()) {
                      case "In" -> r.getValues().contains(labels.get(r.getKey()));
                      case "NotIn" -> !r.getValues().contains(labels.get(r.getKey()));
                      case "Exists" -> labels.containsKey(r.getKey());
                      case "DoesNotExist" -> !labels.containsKey(r.getKey());
                      default -> false;
                    });
  }
}
