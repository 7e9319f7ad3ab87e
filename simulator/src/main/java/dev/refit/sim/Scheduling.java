package dev.refit.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The scheduler's filters, as kube-scheduler applies them to a pod and a node: nodeSelector,
 * required node affinity, taints and tolerations (a cordon and NotReady count as the taints
 * Kubernetes gives them), and room for the pod's requests (cpu, memory, pod count) in the node's
 * allocatable. Scoring is reduced to "fewest pods, then name". Pure: no API, no clock.
 */
final class Scheduling {

  static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";
  static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";

  // Reasons as kube-scheduler words them in a Pending pod's PodScheduled condition.
  static final String UNSCHEDULABLE = "node(s) were unschedulable";
  static final String NOT_READY = "node(s) had untolerated taint {" + NOT_READY_TAINT + ": }";
  static final String SELECTOR = "node(s) didn't match Pod's node affinity/selector";
  static final String TOO_MANY_PODS = "Too many pods";
  static final String CPU = "Insufficient cpu";
  static final String MEMORY = "Insufficient memory";

  private Scheduling() {}

  /** What pods ask of a node: milli-CPUs, bytes of memory and pod slots. */
  record Requests(long milliCpu, long memoryBytes, int pods) {
    static final Requests NONE = new Requests(0, 0, 0);

    Requests plus(Requests other) {
      return new Requests(
          milliCpu + other.milliCpu, memoryBytes + other.memoryBytes, pods + other.pods);
    }
  }

  /** Where a pod goes: a node, or none and why (the scheduler's summary). */
  record Placement(String node, String reason) {
    boolean placed() {
      return node != null;
    }
  }

  /** A pod's requests: its containers' sum, or its largest init container if that is more. */
  static Requests requests(Pod pod) {
    long cpu = 0;
    long memory = 0;
    for (Container c : nullSafe(pod.getSpec().getContainers())) {
      cpu += request(c, "cpu", 1000);
      memory += request(c, "memory", 1);
    }
    for (Container c : nullSafe(pod.getSpec().getInitContainers())) {
      cpu = Math.max(cpu, request(c, "cpu", 1000));
      memory = Math.max(memory, request(c, "memory", 1));
    }
    return new Requests(cpu, memory, 1);
  }

  /** What the pods bound to each node ask of it (terminating pods hold their room until gone). */
  static Map<String, Requests> usage(Collection<Pod> pods) {
    Map<String, Requests> used = new HashMap<>();
    for (Pod pod : pods) {
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (node != null
          && !node.isEmpty()
          && !"Succeeded".equals(phase)
          && !"Failed".equals(phase)) {
        used.merge(node, requests(pod), Requests::plus);
      }
    }
    return used;
  }

  /**
   * Why {@code pod} cannot go to {@code node} with {@code used} already asked of it; none if it
   * fits.
   */
  static Optional<String> unfit(Pod pod, Node node, Requests used) {
    List<Toleration> tolerations = nullSafe(pod.getSpec().getTolerations());
    if (node.getSpec() != null
        && Boolean.TRUE.equals(node.getSpec().getUnschedulable())
        && !tolerated(tolerations, UNSCHEDULABLE_TAINT, null, "NoSchedule")) {
      return Optional.of(UNSCHEDULABLE);
    }
    if (!isReady(node) && !tolerated(tolerations, NOT_READY_TAINT, null, "NoSchedule")) {
      return Optional.of(NOT_READY);
    }
    if (node.getSpec() != null) {
      for (Taint taint : nullSafe(node.getSpec().getTaints())) {
        boolean hard =
            "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect());
        if (hard && !tolerated(tolerations, taint.getKey(), taint.getValue(), taint.getEffect())) {
          return Optional.of(
              "node(s) had untolerated taint {"
                  + taint.getKey()
                  + ": "
                  + (taint.getValue() == null ? "" : taint.getValue())
                  + "}");
        }
      }
    }
    if (!matchesSelector(pod, node) || !matchesAffinity(pod, node)) {
      return Optional.of(SELECTOR);
    }
    Map<String, Quantity> allocatable =
        node.getStatus() == null ? null : node.getStatus().getAllocatable();
    Requests asked = requests(pod).plus(used);
    if (exceeds(allocatable, "pods", asked.pods(), 1)) {
      return Optional.of(TOO_MANY_PODS);
    }
    if (exceeds(allocatable, "cpu", asked.milliCpu(), 1000)) {
      return Optional.of(CPU);
    }
    if (exceeds(allocatable, "memory", asked.memoryBytes(), 1)) {
      return Optional.of(MEMORY);
    }
    return Optional.empty();
  }

  /**
   * The node for {@code pod}: among those it fits, the one with the fewest pods, then the first by
   * name; none with kube-scheduler's summary ("0/3 nodes are available: 1 Insufficient cpu, 2
   * node(s) were unschedulable.") when it fits nowhere.
   */
  static Placement place(Pod pod, Collection<Node> nodes, Map<String, Requests> used) {
    Map<String, Integer> reasons = new TreeMap<>();
    String best = null;
    int bestPods = Integer.MAX_VALUE;
    for (Node node : nodes.stream().sorted(Comparator.comparing(Scheduling::name)).toList()) {
      Requests load = used.getOrDefault(name(node), Requests.NONE);
      Optional<String> why = unfit(pod, node, load);
      if (why.isPresent()) {
        reasons.merge(why.get(), 1, Integer::sum);
      } else if (load.pods() < bestPods) {
        best = name(node);
        bestPods = load.pods();
      }
    }
    if (best != null) {
      return new Placement(best, null);
    }
    StringBuilder summary = new StringBuilder("0/" + nodes.size() + " nodes are available");
    String separator = ": ";
    for (Map.Entry<String, Integer> reason : reasons.entrySet()) {
      summary.append(separator).append(reason.getValue()).append(' ').append(reason.getKey());
      separator = ", ";
    }
    return new Placement(null, summary.append('.').toString());
  }

  static boolean isReady(Node node) {
    return node.getStatus() != null
        && nullSafe(node.getStatus().getConditions()).stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Whether a toleration lets the pod onto a node with this taint (Kubernetes' matching rules). */
  static boolean tolerated(List<Toleration> tolerations, String key, String value, String effect) {
    for (Toleration t : tolerations) {
      boolean effectMatches =
          t.getEffect() == null || t.getEffect().isEmpty() || t.getEffect().equals(effect);
      boolean exists = "Exists".equals(t.getOperator());
      boolean keyMatches =
          t.getKey() == null || t.getKey().isEmpty() ? exists : t.getKey().equals(key);
      boolean valueMatches =
          exists
              || String.valueOf(t.getValue() == null ? "" : t.getValue())
                  .equals(value == null ? "" : value);
      if (effectMatches && keyMatches && valueMatches) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesSelector(Pod pod, Node node) {
    Map<String, String> wanted = pod.getSpec().getNodeSelector();
    Map<String, String> labels = labels(node);
    return wanted == null
        || wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** Required node affinity: any one term, all of its expressions and fields. */
  private static boolean matchesAffinity(Pod pod, Node node) {
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null
        || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return true;
    }
    List<NodeSelectorTerm> terms =
        nullSafe(
            affinity
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms());
    Map<String, String> labels = labels(node);
    Map<String, String> fields = Map.of("metadata.name", name(node));
    return terms.stream()
        .anyMatch(
            term -> {
              List<NodeSelectorRequirement> expressions = nullSafe(term.getMatchExpressions());
              List<NodeSelectorRequirement> matchFields = nullSafe(term.getMatchFields());
              // an empty term matches no node
              return !(expressions.isEmpty() && matchFields.isEmpty())
                  && expressions.stream().allMatch(r -> satisfies(r, labels))
                  && matchFields.stream().allMatch(r -> satisfies(r, fields));
            });
  }

  static boolean satisfies(NodeSelectorRequirement requirement, Map<String, String> labels) {
    return satisfies(
        requirement.getOperator(), labels.get(requirement.getKey()), requirement.getValues());
  }

  /** One requirement of a label or node selector on a label's value (null: no such label). */
  static boolean satisfies(String operator, String value, List<String> allowed) {
    List<String> values = nullSafe(allowed);
    return switch (operator) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt", "Lt" -> compares(value, values, operator.equals("Gt"));
      default -> false;
    };
  }

  private static boolean compares(String value, List<String> values, boolean greater) {
    try {
      long actual = Long.parseLong(value);
      long bound = Long.parseLong(values.get(0));
      return greater ? actual > bound : actual < bound;
    } catch (RuntimeException e) {
      return false; // absent or not an integer: no match, as in Kubernetes
    }
  }

  private static boolean exceeds(
      Map<String, Quantity> allocatable, String key, long asked, int scale) {
    if (allocatable == null || allocatable.get(key) == null) {
      return false; // the snapshot says nothing of this resource: no limit
    }
    return asked > amount(allocatable.get(key), scale);
  }

  private static long request(Container container, String key, int scale) {
    if (container.getResources() == null || container.getResources().getRequests() == null) {
      return 0;
    }
    Quantity quantity = container.getResources().getRequests().get(key);
    return quantity == null ? 0 : amount(quantity, scale);
  }

  /** A quantity in base units times {@code scale}, rounded up ("250m" cpu at 1000: 250). */
  static long amount(Quantity quantity, int scale) {
    BigDecimal base = Quantity.getAmountInBytes(quantity);
    return base.multiply(BigDecimal.valueOf(scale))
        .setScale(0, java.math.RoundingMode.CEILING)
        .longValue();
  }

  private static Map<String, String> labels(Node node) {
    return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
  }

  private static String name(Node node) {
    return node.getMetadata().getName();
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
