package dev.refit.sim;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.refit.admission.Admission;
import dev.refit.api.OSFamily;
import dev.refit.api.OSUpdatePolicy;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A what-if: the fleet (node groups and workloads), how long host steps take, what goes wrong, and
 * the policies to roll out. Read from YAML; see docs/simulator.md.
 *
 * @param nodes node groups
 * @param workloads replicated workloads spread over the nodes, with optional budgets
 * @param timing how long staging, reboots and becoming Ready take on the simulated hosts
 * @param faults what goes wrong, and when
 * @param policies ordinary OSUpdatePolicy manifests
 * @param timeoutSeconds when the simulation gives up
 * @param apiFaults the API faults the operator meets all along, if any
 * @param events what happens at given moments: operator kills, agent restarts, policy edits and
 *     deletions, nodes joining and leaving, a person's cordons, budgets relaxed
 * @param operatorReplicas how many operator replicas run, electing a leader (default 1)
 * @param snapshot the real cluster the nodes and workloads come from, if any (never from YAML)
 */
public record Scenario(
    List<NodeGroup> nodes,
    List<WorkloadSpec> workloads,
    Timing timing,
    List<Fault> faults,
    List<JsonNode> policies,
    Integer timeoutSeconds,
    ApiFaultSpec apiFaults,
    List<TimedEvent> events,
    Integer operatorReplicas,
    @JsonIgnore FleetSnapshot snapshot) {

  public Scenario {
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    workloads = workloads == null ? List.of() : List.copyOf(workloads);
    timing = timing == null ? Timing.DEFAULT : timing;
    faults = faults == null ? List.of() : List.copyOf(faults);
    policies = policies == null ? List.of() : List.copyOf(policies);
    timeoutSeconds = timeoutSeconds == null ? 300 : timeoutSeconds;
    events = events == null ? List.of() : List.copyOf(events);
    operatorReplicas = operatorReplicas == null ? 1 : operatorReplicas;
  }

  /** A scenario with a snapshot's fleet, and no API faults, events or extra replicas. */
  public Scenario(
      List<NodeGroup> nodes,
      List<WorkloadSpec> workloads,
      Timing timing,
      List<Fault> faults,
      List<JsonNode> policies,
      Integer timeoutSeconds,
      FleetSnapshot snapshot) {
    this(nodes, workloads, timing, faults, policies, timeoutSeconds, null, null, null, snapshot);
  }

  /** The API faults the operator meets: {@code apiFaults}, or an older {@code apiErrorRate}. */
  ApiFaultSpec operatorApiFaults() {
    if (apiFaults != null) {
      return apiFaults;
    }
    return faults.stream()
        .filter(f -> f.apiErrorRate() != null)
        .map(f -> ApiFaultSpec.serverErrorsOnly(f.apiErrorRate()))
        .reduce((a, b) -> b)
        .orElse(null);
  }

  /** A copy with these policies (as admitted) and everything else the same. */
  Scenario withPolicies(List<JsonNode> admitted) {
    return new Scenario(
        nodes,
        workloads,
        timing,
        faults,
        admitted,
        timeoutSeconds,
        apiFaults,
        events,
        operatorReplicas,
        snapshot);
  }

  /** A scenario of its own (no snapshot). */
  public Scenario(
      List<NodeGroup> nodes,
      List<WorkloadSpec> workloads,
      Timing timing,
      List<Fault> faults,
      List<JsonNode> policies,
      Integer timeoutSeconds) {
    this(nodes, workloads, timing, faults, policies, timeoutSeconds, null);
  }

  /**
   * A group of identical nodes, named prefix-1 .. prefix-count.
   *
   * @param count how many
   * @param prefix name prefix
   * @param labels node labels
   * @param os what the hosts run before the update
   * @param selinux the hosts' SELinux mode
   * @param name a single node's exact name (then count is 1 and prefix is not used)
   * @param cordoned whether the nodes start cordoned by someone (Refit must leave them so)
   * @param notReady whether the nodes start NotReady
   */
  public record NodeGroup(
      int count,
      String prefix,
      Map<String, String> labels,
      OsSpec os,
      SelinuxSpec selinux,
      String name,
      Boolean cordoned,
      Boolean notReady) {
    public NodeGroup {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      os = os == null ? new OsSpec(OSFamily.FedoraCoreOS, "40.20241201.3.0", null) : os;
      if (name != null) {
        count = 1;
      }
    }

    /** Why the group names no nodes it could make, or null when it is sound. */
    String problem() {
      if (name == null && (count < 0 || prefix == null || prefix.isBlank())) {
        return "a node group needs a name, or a prefix and a count of 0 or more";
      }
      if (selinux != null
          && selinux.mode() != null
          && !List.of("Enforcing", "Permissive", "Disabled").contains(selinux.mode())) {
        return "selinux.mode must be Enforcing, Permissive or Disabled";
      }
      return null;
    }

    /** A group of {@code count} nodes named prefix1 .. prefixN. */
    public NodeGroup(
        int count, String prefix, Map<String, String> labels, OsSpec os, SelinuxSpec selinux) {
      this(count, prefix, labels, os, selinux, null, null, null);
    }

    /** The names of the group's nodes. */
    public List<String> names() {
      if (name != null) {
        return List.of(name);
      }
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        names.add(prefix + i);
      }
      return names;
    }
  }

  /** What a host runs: a family and a version or image. */
  public record OsSpec(OSFamily family, String version, String image) {}

  /**
   * A host's SELinux mode at the start, in force and configured for boot: Enforcing (the default),
   * Permissive, or Disabled (a host that booted without SELinux).
   */
  public record SelinuxSpec(String mode) {}

  /**
   * A replicated workload.
   *
   * @param name workload name (pods are name-N)
   * @param namespace namespace
   * @param replicas how many pods
   * @param nodeSelector nodes the pods may run on (empty: any)
   * @param pdb optional PodDisruptionBudget
   * @param terminationSeconds how long a pod takes to stop after eviction
   * @param startSeconds how long a replacement pod takes to become Ready
   */
  public record WorkloadSpec(
      String name,
      String namespace,
      int replicas,
      Map<String, String> nodeSelector,
      Pdb pdb,
      Double terminationSeconds,
      Double startSeconds) {
    public WorkloadSpec {
      namespace = namespace == null ? "default" : namespace;
      nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
      terminationSeconds = terminationSeconds == null ? 1.0 : terminationSeconds;
      startSeconds = startSeconds == null ? 1.0 : startSeconds;
    }
  }

  /** A PodDisruptionBudget: one of minAvailable or maxUnavailable, an int or a percentage. */
  public record Pdb(IntOrString minAvailable, IntOrString maxUnavailable) {}

  /**
   * How long host steps take, in seconds.
   *
   * @param stageSeconds downloading and staging an update
   * @param rebootSeconds from the reboot request to the new boot
   * @param readySeconds from the new boot to Ready
   */
  public record Timing(double stageSeconds, double rebootSeconds, double readySeconds) {
    public static final Timing DEFAULT = new Timing(1, 2, 1);
  }

  /**
   * Something that goes wrong: on a node (failStage, neverReady, neverReboot, badUpdate: its
   * kubelet never turns Ready on any OS but the one it ran first, so a rollback brings it back), at
   * a time (restartOperator), or all along (apiErrorRate: a fraction of the operator's API requests
   * fail).
   */
  public record Fault(
      String node,
      Boolean failStage,
      Boolean neverReady,
      Boolean neverReboot,
      Double atSeconds,
      Boolean restartOperator,
      Double apiErrorRate,
      Boolean badUpdate) {

    /** The node's downloads fail. */
    static Fault failStage(String node) {
      return new Fault(node, true, null, null, null, null, null, null);
    }

    /** The node's kubelet never turns Ready after its reboot. */
    static Fault neverReady(String node) {
      return new Fault(node, null, true, null, null, null, null, null);
    }

    /** The node never reboots when told to. */
    static Fault neverReboot(String node) {
      return new Fault(node, null, null, true, null, null, null, null);
    }
  }

  private static final ObjectMapper YAML =
      JsonMapper.builder(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  /** Reads a scenario file; a mistake is reported with the file, line and field. */
  public static Scenario read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  static Scenario read(InputStream in, String origin) throws IOException {
    byte[] text = in.readAllBytes();
    Scenario scenario;
    try {
      JsonNode tree = YAML.readTree(text);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        throw new ScenarioException(origin + ": the file is empty");
      }
      EmptyValues.reject(tree, origin);
      scenario = YAML.readValue(text, Scenario.class);
    } catch (JacksonException e) {
      throw new ScenarioException(ScenarioException.describe(origin, e), e);
    }
    for (int i = 0; i < scenario.nodes().size(); i++) {
      String problem = scenario.nodes().get(i).problem();
      if (problem != null) {
        throw new ScenarioException(origin + ": nodes[" + i + "]: " + problem);
      }
    }
    for (int i = 0; i < scenario.events().size(); i++) {
      String problem = scenario.events().get(i).problem();
      if (problem != null) {
        throw new ScenarioException(origin + ": events[" + i + "]: " + problem);
      }
    }
    if (scenario.operatorReplicas() < 1 || scenario.operatorReplicas() > 3) {
      throw new ScenarioException(origin + ": operatorReplicas must be 1, 2 or 3");
    }
    String negative = scenario.negativeField();
    if (negative != null) {
      throw new ScenarioException(origin + ": " + negative + " must be 0 or more");
    }
    if (scenario.timeoutSeconds() < 1) {
      throw new ScenarioException(origin + ": timeoutSeconds must be 1 or more");
    }
    return scenario;
  }

  /** The first count or duration below zero, by its path in the file, or null if none is. */
  private String negativeField() {
    if (timing.stageSeconds() < 0 || timing.rebootSeconds() < 0 || timing.readySeconds() < 0) {
      return "every timing (stageSeconds, rebootSeconds, readySeconds)";
    }
    for (int i = 0; i < workloads.size(); i++) {
      WorkloadSpec w = workloads.get(i);
      if (w.replicas() < 0 || w.terminationSeconds() < 0 || w.startSeconds() < 0) {
        return "workloads[" + i + "]: replicas, terminationSeconds and startSeconds";
      }
    }
    for (int i = 0; i < faults.size(); i++) {
      Fault f = faults.get(i);
      if ((f.atSeconds() != null && f.atSeconds() < 0)
          || (f.apiErrorRate() != null && f.apiErrorRate() < 0)) {
        return "faults[" + i + "]: atSeconds and apiErrorRate";
      }
    }
    return null;
  }

  /**
   * The scenario with its policies as the API server would store them (schema defaults filled in),
   * after judging each as {@code kubectl apply} would: the CRD's schema with strict field
   * validation, and its CEL rules.
   *
   * @throws ScenarioException naming the policy, the field and the rule's message, for the first
   *     policy the API server would reject
   */
  public Scenario admitted(Admission admission, String origin) throws ScenarioException {
    List<JsonNode> admitted = new ArrayList<>();
    for (int i = 0; i < policies.size(); i++) {
      JsonNode policy = policies.get(i);
      List<String> errors = admission.validate(policy);
      if (!errors.isEmpty()) {
        String name = policy.path("metadata").path("name").asText("");
        throw new ScenarioException(
            origin
                + ": policies["
                + i
                + "]"
                + (name.isEmpty() ? "" : " (\"" + name + "\")")
                + " would be rejected by the API server:\n  "
                + String.join("\n  ", errors));
      }
      admitted.add(admission.defaulted(policy));
    }
    return withPolicies(admitted);
  }

  /** The built-in demo: 20 Fedora CoreOS workers, a web shop with a budget, one policy. */
  public static Scenario demo(int nodes) throws IOException {
    try (InputStream in = Scenario.class.getResourceAsStream("/scenarios/demo.yaml")) {
      Scenario demo = read(in, "demo.yaml");
      List<NodeGroup> groups = new ArrayList<>();
      for (NodeGroup group : demo.nodes()) {
        groups.add(
            new NodeGroup(nodes, group.prefix(), group.labels(), group.os(), group.selinux()));
      }
      return new Scenario(
          groups,
          demo.workloads(),
          demo.timing(),
          demo.faults(),
          demo.policies(),
          demo.timeoutSeconds());
    }
  }

  /** The policies as objects. */
  public List<OSUpdatePolicy> policyObjects() {
    return policies.stream()
        .map(p -> Serialization.unmarshal(p.toString(), OSUpdatePolicy.class))
        .toList();
  }

  /** A copy with the nodes and workloads of a real cluster's snapshot. */
  Scenario withFleet(FleetSnapshot fleet) {
    return new Scenario(
        fleet.nodes,
        fleet.workloadSpecs(),
        timing,
        faults,
        policies,
        timeoutSeconds,
        apiFaults,
        events,
        operatorReplicas,
        fleet);
  }

  @JsonProperty("nodes")
  public List<NodeGroup> nodes() {
    return nodes;
  }
}
