package dev.refit.sim;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.refit.api.OSFamily;
import dev.refit.sim.Scenario.NodeGroup;
import dev.refit.sim.Scenario.OsSpec;
import dev.refit.sim.Scenario.Pdb;
import dev.refit.sim.Scenario.WorkloadSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real cluster's fleet, from {@code kubectl get nodes,pods,pdb -A -o yaml}: its Nodes (labels,
 * cordons, readiness, OS, taints, allocatable), the pods of the controllers the simulation keeps at
 * their count (ReplicaSet, StatefulSet, ReplicationController), each on the node it ran on, and the
 * budgets. DaemonSet and static pods are left to the simulated kubelets; other pods are not
 * simulated, each with why.
 */
final class FleetSnapshot {

  /** Controllers whose pods the simulation replaces when they are evicted. */
  static final List<String> SIMULATED_KINDS =
      List.of("ReplicaSet", "StatefulSet", "ReplicationController");

  /** A controller's pods as they ran. */
  record Workload(String kind, String name, String namespace, List<Pod> pods) {
    String key() {
      return namespace + "/" + name;
    }
  }

  /** A pod the simulation leaves out, and why. */
  record Skipped(String pod, String why) {
    @Override
    public String toString() {
      return pod + " (" + why + ")";
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * What the API server requires of the parts the simulation reads and Fabric8 leaves unchecked: an
   * owner reference names its kind and name, a selector requirement its key and operator.
   */
  private static final Map<String, List<String>> REQUIRED =
      Map.of(
          "ownerReferences", List.of("kind", "name"),
          "matchExpressions", List.of("key", "operator"),
          "matchFields", List.of("key", "operator"));

  final List<NodeGroup> nodes;
  final List<Node> nodeObjects;
  final List<Workload> workloads;
  final List<Pod> pods;
  final List<PodDisruptionBudget> budgets;
  final List<Skipped> skipped;

  private FleetSnapshot(
      List<Node> nodes,
      List<Workload> workloads,
      List<Pod> pods,
      List<PodDisruptionBudget> budgets,
      List<Skipped> skipped) {
    this.nodes = nodeGroups(nodes);
    this.nodeObjects = List.copyOf(nodes);
    this.workloads = List.copyOf(workloads);
    this.pods = pods.stream().filter(p -> !finished(p)).toList();
    this.budgets = List.copyOf(budgets);
    this.skipped = List.copyOf(skipped);
  }

  static FleetSnapshot read(Path file) throws IOException {
    return read(Files.readAllBytes(file), file.toString());
  }

  /**
   * Reads a snapshot; what cannot be simulated is reported with the file, the item ({@code
   * items[3]}) and the field.
   */
  static FleetSnapshot read(byte[] text, String origin) throws ScenarioException {
    JsonNode list;
    try {
      list = YAML.readTree(text);
    } catch (JacksonException e) {
      throw new ScenarioException(ScenarioException.describe(origin, e), e);
    } catch (IOException e) {
      throw new ScenarioException(origin + ": " + e.getMessage(), e);
    }
    if (list == null || !list.path("items").isArray()) {
      throw new ScenarioException(
          origin + ": not the output of kubectl get nodes,pods,pdb -A -o yaml (no items list)");
    }
    EmptyValues.reject(list, origin);
    List<Node> nodes = new ArrayList<>();
    List<Pod> pods = new ArrayList<>();
    List<PodDisruptionBudget> budgets = new ArrayList<>();
    JsonNode items = list.get("items");
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String at = origin + ": items[" + i + "]";
      switch (item.path("kind").asText()) {
        case "Node" -> nodes.add(object(item, Node.class, at, false));
        case "Pod" -> pods.add(object(item, Pod.class, at, true));
        case "PodDisruptionBudget" ->
            budgets.add(object(item, PodDisruptionBudget.class, at, true));
        default -> {}
      }
    }
    if (nodes.isEmpty()) {
      throw new ScenarioException(origin + ": the snapshot holds no Node in its items");
    }
    return of(nodes, pods, budgets);
  }

  /**
   * One item as the API object it claims to be, with what the simulation reads of every object: a
   * name, a namespace for namespaced kinds, and a spec for pods and budgets.
   */
  private static <T extends HasMetadata> T object(
      JsonNode item, Class<T> type, String at, boolean namespaced) throws ScenarioException {
    String kind = type.getSimpleName();
    T object;
    try {
      object = Serialization.jsonMapper().treeToValue(item, type);
    } catch (JacksonException e) {
      throw new ScenarioException(ScenarioException.describe(at + " (" + kind + ")", e), e);
    }
    ObjectMeta meta = object.getMetadata();
    if (meta == null || meta.getName() == null || meta.getName().isEmpty()) {
      throw new ScenarioException(at + ": a " + kind + " needs metadata.name");
    }
    if (namespaced && (meta.getNamespace() == null || meta.getNamespace().isEmpty())) {
      throw new ScenarioException(at + " (" + meta.getName() + "): needs metadata.namespace");
    }
    boolean specless =
        object instanceof Pod pod
            ? pod.getSpec() == null
            : object instanceof PodDisruptionBudget pdb && pdb.getSpec() == null;
    if (specless) {
      throw new ScenarioException(at + " (" + meta.getName() + "): a " + kind + " needs spec");
    }
    requireParts(item, "", at + " (" + meta.getName() + ")");
    return object;
  }

  private static void requireParts(JsonNode node, String path, String at) throws ScenarioException {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String here = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      JsonNode value = field.getValue();
      if (value.isObject()) {
        requireParts(value, here, at);
      } else if (value.isArray()) {
        List<String> required = REQUIRED.getOrDefault(field.getKey(), List.of());
        for (int i = 0; i < value.size(); i++) {
          String partAt = here + "[" + i + "]";
          for (String name : required) {
            JsonNode named = value.get(i).path(name);
            if (!named.isTextual() || named.asText().isEmpty()) {
              throw new ScenarioException(at + ": " + partAt + " needs " + name);
            }
          }
          requireParts(value.get(i), partAt, at);
        }
      }
    }
  }

  static FleetSnapshot of(List<Node> nodes, List<Pod> pods, List<PodDisruptionBudget> budgets) {
    List<Skipped> skipped = new ArrayList<>();
    return new FleetSnapshot(nodes, workloads(pods, skipped), pods, budgets, skipped);
  }

  /** The scenario with this fleet; without a scenario of its own, a rehearsal policy. */
  Scenario applyTo(Scenario scenario, boolean defaultPolicy) throws IOException {
    Scenario base = scenario.withFleet(this);
    if (!defaultPolicy) {
      return base;
    }
    JsonNode policy =
        YAML.readTree(
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
        base.timeoutSeconds(),
        this);
  }

  /** The workloads as a scenario states them (their pods' spec, their budget, their timing). */
  List<WorkloadSpec> workloadSpecs() {
    List<WorkloadSpec> specs = new ArrayList<>();
    for (Workload workload : workloads) {
      Pod first = workload.pods().get(0);
      Pdb pdb =
          budgetOf(first)
              .map(b -> new Pdb(b.getSpec().getMinAvailable(), b.getSpec().getMaxUnavailable()))
              .orElse(null);
      specs.add(
          new WorkloadSpec(
              workload.name(),
              workload.namespace(),
              workload.pods().size(),
              first.getSpec().getNodeSelector(),
              pdb,
              terminationSeconds(first),
              START_SECONDS));
    }
    return specs;
  }

  /** How long a replacement pod takes to become Ready (a snapshot does not say). */
  static final double START_SECONDS = 5.0;

  /** A pod stops within its grace period; the simulation waits at most 30 s of it. */
  static double terminationSeconds(Pod pod) {
    Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
    return (double) Math.min(grace == null ? 30 : grace, 30);
  }

  /** The first budget of the pod's namespace that selects it. */
  Optional<PodDisruptionBudget> budgetOf(Pod pod) {
    return budgets.stream()
        .filter(b -> b.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace()))
        .filter(b -> selects(b.getSpec().getSelector(), pod.getMetadata().getLabels()))
        .findFirst();
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

  private static List<Workload> workloads(List<Pod> pods, List<Skipped> skipped) {
    Map<String, List<Pod>> byOwner = new LinkedHashMap<>();
    Map<String, String> kinds = new LinkedHashMap<>();
    for (Pod pod : pods) {
      if (finished(pod)) {
        continue;
      }
      String id = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
      Optional<OwnerReference> owner = controller(pod);
      if (owner.isEmpty()) {
        skipped.add(new Skipped(id, "no controller: a drain evicts it and nothing replaces it"));
        continue;
      }
      String kind = owner.get().getKind();
      if ("DaemonSet".equals(kind) || "Node".equals(kind)) {
        continue;
      }
      if (!SIMULATED_KINDS.contains(kind)) {
        skipped.add(new Skipped(id, "its controller is a " + kind + ", which is not simulated"));
        continue;
      }
      String key = pod.getMetadata().getNamespace() + "/" + owner.get().getName();
      kinds.put(key, kind);
      byOwner.computeIfAbsent(key, k -> new ArrayList<>()).add(pod);
    }
    List<Workload> workloads = new ArrayList<>();
    byOwner.forEach(
        (key, members) ->
            workloads.add(
                new Workload(
                    kinds.get(key),
                    key.substring(key.indexOf('/') + 1),
                    members.get(0).getMetadata().getNamespace(),
                    List.copyOf(members))));
    return workloads;
  }

  private static boolean finished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  static Optional<OwnerReference> controller(Pod pod) {
    return pod.getMetadata().getOwnerReferences() == null
        ? Optional.empty()
        : pod.getMetadata().getOwnerReferences().stream()
            .filter(o -> Boolean.TRUE.equals(o.getController()))
            .findFirst();
  }

  /**
   * Label selector semantics of policy/v1: a null selector selects nothing, an empty one every pod
   * of the namespace.
   */
  static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> actual = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(actual.get(e.getKey()))) {
          return false;
        }
      }
    }
    return selector.getMatchExpressions() == null
        || selector.getMatchExpressions().stream()
            .allMatch(
                r -> Scheduling.satisfies(r.getOperator(), actual.get(r.getKey()), r.getValues()));
  }
}
