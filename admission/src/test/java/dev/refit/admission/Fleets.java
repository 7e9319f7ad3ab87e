package dev.refit.admission;

import dev.refit.api.ActionState;
import dev.refit.api.NodeAction;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.RefitApi;
import dev.refit.api.Selector;
import dev.refit.api.SelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;

/**
 * Fleets for a policy: nodes whose labels satisfy its selector, another policy's, both (a conflict)
 * or neither; Ready or not; cordoned by Refit, by someone else or not at all; with an OSNode in any
 * state or none yet, and pods its health check looks at.
 */
final class Fleets {

  /** The other policy in the cluster selects nodes labelled like this. */
  static final Map<String, String> OTHER = Map.of("pool", "other");

  /** How one node looks, before it is fitted to the policy. */
  record Shape(
      int selectedBy,
      boolean ready,
      int cordon,
      NodeState state,
      boolean stagedTarget,
      boolean currentTarget,
      int minutesInState,
      String zone,
      boolean controlPlane,
      boolean excluded,
      int pods) {}

  private Fleets() {}

  static Arbitrary<List<Shape>> shapes() {
    Arbitrary<Shape> shape =
        Builders.withBuilder(() -> new Object[11])
            .use(Arbitraries.integers().between(0, 4))
            .in((a, v) -> set(a, 0, v))
            .use(Arbitraries.of(true, true, true, false))
            .in((a, v) -> set(a, 1, v))
            .use(Arbitraries.integers().between(0, 2))
            .in((a, v) -> set(a, 2, v))
            .use(Arbitraries.of(NodeState.class).injectNull(0.25))
            .in((a, v) -> set(a, 3, v))
            .use(Arbitraries.of(true, false))
            .in((a, v) -> set(a, 4, v))
            .use(Arbitraries.of(true, false, false))
            .in((a, v) -> set(a, 5, v))
            .use(Arbitraries.of(0, 1, 30, 60 * 24 * 400))
            .in((a, v) -> set(a, 6, v))
            .use(Arbitraries.of("a", "b", "").injectNull(0.3))
            .in((a, v) -> set(a, 7, v))
            .use(Arbitraries.of(false, false, false, true))
            .in((a, v) -> set(a, 8, v))
            .use(Arbitraries.of(false, false, false, false, true))
            .in((a, v) -> set(a, 9, v))
            .use(Arbitraries.integers().between(0, 3))
            .in((a, v) -> set(a, 10, v))
            .build(
                a ->
                    new Shape(
                        (int) a[0],
                        (boolean) a[1],
                        (int) a[2],
                        (NodeState) a[3],
                        (boolean) a[4],
                        (boolean) a[5],
                        (int) a[6],
                        (String) a[7],
                        (boolean) a[8],
                        (boolean) a[9],
                        (int) a[10]));
    return shape.list().ofMaxSize(12);
  }

  private static Object[] set(Object[] a, int i, Object v) {
    a[i] = v;
    return a;
  }

  /**
   * The Node: selected by the policy (0, 1), by the other policy (2), by both (3), or by neither
   * (4), as far as the selector can be satisfied.
   */
  static Node node(String name, Shape shape, Selector selector, String zoneLabel) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (shape.selectedBy() == 2 || shape.selectedBy() == 3) {
      labels.putAll(OTHER);
    }
    if (shape.selectedBy() <= 1 || shape.selectedBy() == 3) {
      labels.putAll(satisfying(selector));
    }
    if (shape.zone() != null && zoneLabel != null) {
      labels.put(zoneLabel, shape.zone());
    }
    if (shape.controlPlane()) {
      labels.put("node-role.kubernetes.io/control-plane", "");
    }
    if (shape.excluded()) {
      labels.put(RefitApi.EXCLUDE_LABEL, "");
    }
    Map<String, String> annotations =
        shape.cordon() == 1 ? Map.of(RefitApi.CORDONED_ANNOTATION, "p") : Map.of();
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withUnschedulable(shape.cordon() > 0)
        .endSpec()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus(shape.ready() ? "True" : "False")
        .endCondition()
        .withNewNodeInfo()
        .withBootID("boot")
        .endNodeInfo()
        .endStatus()
        .build();
  }

  /** Labels that satisfy the selector when it can be satisfied at all. */
  static Map<String, String> satisfying(Selector selector) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (selector == null) {
      return labels;
    }
    labels.putAll(selector.getMatchLabels());
    for (SelectorRequirement requirement : selector.getMatchExpressions()) {
      String key = requirement.getKey();
      switch (requirement.getOperator()) {
        case In -> labels.put(key, requirement.getValues().get(0));
        case Exists -> labels.putIfAbsent(key, "present");
        case NotIn, DoesNotExist -> labels.remove(key);
      }
    }
    return labels;
  }

  /** The node's OSNode, or null when the shape has none yet. */
  static OSNode osNode(String name, String policy, Shape shape, String target, Instant now) {
    if (shape.state() == null) {
      return null;
    }
    OSNode osNode = new OSNode();
    osNode.getMetadata().setName(name);
    OSNodeSpec spec = new OSNodeSpec();
    spec.setPolicy(policy);
    spec.setDesiredRevision(target);
    spec.setState(shape.state());
    spec.setStateSince(now.minusSeconds(60L * shape.minutesInState()).toString());
    spec.setAction(shape.state().occupiesSlot() ? NodeAction.Apply : NodeAction.Stage);
    spec.setActionId(target + "-stage-0");
    spec.setMessage("recorded before");
    osNode.setSpec(spec);
    OSNodeStatus status = new OSNodeStatus();
    status.setCurrentRevision(shape.currentTarget() ? target : "000000000000a");
    status.setStagedRevision(shape.stagedTarget() ? target : null);
    status.setObservedActionId(target + "-stage-0");
    status.setActionState(ActionState.Succeeded);
    status.setBootId("boot");
    osNode.setStatus(status);
    return osNode;
  }

  /**
   * The node's pods: none (0), one the health check selects, Ready (1) or not (2); null: unlisted.
   */
  static List<Pod> pods(String node, Shape shape, Selector healthSelector) {
    if (shape.pods() == 3) {
      return null;
    }
    if (shape.pods() == 0) {
      return List.of();
    }
    return List.of(
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("kube-system")
            .withName(node + "-agent")
            .withLabels(satisfying(healthSelector))
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus(shape.pods() == 1 ? "True" : "False")
            .endCondition()
            .endStatus()
            .build());
  }
}
