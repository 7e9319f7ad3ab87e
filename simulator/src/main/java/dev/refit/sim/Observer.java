package dev.refit.sim;

import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.RefitApi;
import dev.refit.sim.Report.Transition;
import dev.refit.sim.Report.Violation;
import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Watches the simulated cluster and judges the invariants from what it sees — Nodes' cordons,
 * readiness and boot IDs, OSNodes' states — never from what the operator reports about itself.
 */
final class Observer implements AutoCloseable {

  /** What the observer knows of one node. */
  static final class Seen {
    boolean unschedulable;
    boolean refitCordoned;
    boolean ready;
    String bootId;
    int boots;
    boolean foreignCordon;
    NodeState state;
    final List<Transition> transitions = new ArrayList<>();
  }

  private volatile long startNanos;
  private final KubernetesClient client;
  private final Map<String, Seen> nodes = new TreeMap<>();
  private final List<Violation> violations = new ArrayList<>();
  private final List<Double> handoffs = new ArrayList<>();
  private final Map<String, Integer> limits; // node -> its policy's maxUnavailable
  private final Map<String, String> policyOf; // node -> its policy
  private final List<Double> freedAt = new ArrayList<>();
  private int maxDisrupted;
  private SharedIndexInformer<Node> nodeInformer;
  private SharedIndexInformer<OSNode> osNodeInformer;
  private SharedIndexInformer<OSUpdatePolicy> policyInformer;

  Observer(EmbeddedKubernetes api, Map<String, String> policyOf, Map<String, Integer> limits) {
    this.client = api.newClient("refit-simulator/observer");
    this.policyOf = policyOf;
    this.limits = limits;
    this.startNanos = System.nanoTime();
  }

  Observer start() {
    nodeInformer = client.nodes().inform(handler(this::seeNode), 0);
    osNodeInformer = client.resources(OSNode.class).inform(handler(this::seeOsNode), 0);
    policyInformer = client.resources(OSUpdatePolicy.class).inform(handler(p -> {}), 0);
    return this;
  }

  /** From now on, times are counted from this moment (when the policies are applied). */
  void zero() {
    startNanos = System.nanoTime();
  }

  double now() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private synchronized void seeNode(Node node) {
    String name = node.getMetadata().getName();
    Seen seen = nodes.computeIfAbsent(name, n -> new Seen());
    boolean unschedulable =
        node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    Map<String, String> annotations =
        node.getMetadata().getAnnotations() == null
            ? Map.of()
            : node.getMetadata().getAnnotations();
    boolean refit = unschedulable && annotations.containsKey(RefitApi.CORDONED_ANNOTATION);
    boolean firstSight = seen.bootId == null && seen.transitions.isEmpty() && !seen.unschedulable;
    if (firstSight && unschedulable && !refit) {
      seen.foreignCordon = true;
    }
    if (seen.foreignCordon && !unschedulable) {
      violations.add(
          new Violation("noForeignUncordon", name, now(), "a cordon Refit did not set was lifted"));
      seen.foreignCordon = false;
    }
    if (seen.refitCordoned && !refit && !unschedulable && anyWaiting()) {
      // a slot freed while a staged node waits: the next cordon is its handoff
      freedAt.add(now());
    }
    if (!seen.refitCordoned && refit && !freedAt.isEmpty()) {
      handoffs.add((now() - freedAt.remove(0)) * 1000);
    }
    String bootId = node.getStatus().getNodeInfo().getBootID();
    if (seen.bootId != null && !Objects.equals(seen.bootId, bootId)) {
      seen.boots++;
    }
    seen.bootId = bootId;
    seen.unschedulable = unschedulable;
    seen.refitCordoned = refit;
    seen.ready =
        node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    checkDisrupted(name);
  }

  private boolean anyWaiting() {
    return nodes.values().stream().anyMatch(n -> n.state == NodeState.Staged);
  }

  /** Counts the nodes out of service (cordoned or not Ready) under the node's policy. */
  private void checkDisrupted(String changed) {
    String policy = policyOf.get(changed);
    Map<String, Integer> perPolicy = new HashMap<>();
    int total = 0;
    for (Map.Entry<String, Seen> entry : nodes.entrySet()) {
      Seen seen = entry.getValue();
      if (seen.unschedulable || !seen.ready) {
        total++;
        String p = policyOf.get(entry.getKey());
        if (p != null) {
          perPolicy.merge(p, 1, Integer::sum);
        }
      }
    }
    maxDisrupted = Math.max(maxDisrupted, total);
    if (policy != null && limits.containsKey(changed)) {
      int limit = limits.get(changed);
      int count = perPolicy.getOrDefault(policy, 0);
      if (count > limit && wasRaisedByRefit(changed)) {
        violations.add(
            new Violation(
                "maxUnavailable",
                changed,
                now(),
                count + " nodes of policy " + policy + " out of service, limit " + limit));
      }
    }
  }

  /** Only a disruption Refit caused can break its limit (a node may fail on its own). */
  private boolean wasRaisedByRefit(String node) {
    return nodes.get(node).refitCordoned;
  }

  private synchronized void seeOsNode(OSNode osNode) {
    if (osNode.getSpec() == null) {
      return;
    }
    Seen seen = nodes.computeIfAbsent(osNode.getMetadata().getName(), n -> new Seen());
    NodeState state = osNode.getSpec().getState();
    if (state != seen.state) {
      seen.state = state;
      seen.transitions.add(new Transition(round(now()), state.name()));
    }
  }

  /** Judges what is left at the end: no node stays cordoned by Refit unless it is down. */
  synchronized List<Violation> finish(List<Violation> pdbViolations) {
    List<Violation> all = new ArrayList<>(violations);
    all.addAll(pdbViolations);
    nodes.forEach(
        (name, seen) -> {
          if (seen.refitCordoned && seen.ready) {
            all.add(
                new Violation(
                    "noNodeLeftCordoned",
                    name,
                    now(),
                    "Ready but still cordoned by Refit at the end (state " + seen.state + ")"));
          }
        });
    return all;
  }

  /** A policy as the watch last delivered it, or null. */
  OSUpdatePolicy policy(String name) {
    return policyInformer.getStore().getByKey(name);
  }

  synchronized int maxDisrupted() {
    return maxDisrupted;
  }

  synchronized List<Double> handoffsMillis() {
    return List.copyOf(handoffs);
  }

  synchronized <T> T read(Function<Map<String, Seen>, T> reader) {
    return reader.apply(nodes);
  }

  synchronized Set<String> states() {
    Set<String> states = new HashSet<>();
    nodes.values().forEach(s -> states.add(String.valueOf(s.state)));
    return states;
  }

  static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  private static <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> consumer) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        consumer.accept(object);
      }

      @Override
      public void onUpdate(T older, T newer) {
        consumer.accept(newer);
      }

      @Override
      public void onDelete(T object, boolean unknown) {}
    };
  }

  @Override
  public void close() {
    if (nodeInformer != null) {
      nodeInformer.close();
    }
    if (osNodeInformer != null) {
      osNodeInformer.close();
    }
    if (policyInformer != null) {
      policyInformer.close();
    }
    client.close();
  }
}
