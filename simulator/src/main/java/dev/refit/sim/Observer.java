package dev.refit.sim;

import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.sim.Report.Transition;
import dev.refit.sim.Report.Violation;
import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.testing.invariants.Invariant;
import dev.refit.testing.invariants.Invariants;
import dev.refit.testing.invariants.NodeReadings;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Watches the simulated cluster and judges the invariants (the test kit's, one class each) from
 * what it sees — Nodes' cordons, readiness and boot IDs, OSNodes' states — never from what the
 * operator reports about itself; and measures the rollout: disruption, handoffs, boots, states.
 */
final class Observer implements AutoCloseable {

  /** What the observer knows of one node. */
  static final class Seen {
    boolean refitCordoned;
    String bootId;
    int boots;
    NodeState state;
    final List<Transition> transitions = new ArrayList<>();
  }

  private volatile long startNanos;
  private volatile Instant startInstant;
  private final KubernetesClient client;
  private final Invariants invariants;
  private final Map<String, Seen> nodes = new TreeMap<>();
  private final List<Violation> violations = new ArrayList<>();
  private final List<Double> handoffs = new ArrayList<>();
  private final List<Double> freedAt = new ArrayList<>();
  private final Set<String> deletedPolicies = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private int maxDisrupted;
  private SharedIndexInformer<Node> nodeInformer;
  private SharedIndexInformer<OSNode> osNodeInformer;
  private SharedIndexInformer<OSUpdatePolicy> policyInformer;
  private SharedIndexInformer<Pod> podInformer;

  Observer(EmbeddedKubernetes api, List<Invariant> invariants) {
    this.client = api.newClient("refit-simulator/observer");
    this.invariants = new Invariants(invariants, api.serverTimes());
    zero();
  }

  Observer start() {
    policyInformer =
        client
            .resources(OSUpdatePolicy.class)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(OSUpdatePolicy policy) {
                    invariants.policy(policy);
                  }

                  @Override
                  public void onUpdate(OSUpdatePolicy older, OSUpdatePolicy newer) {
                    invariants.policy(newer);
                  }

                  @Override
                  public void onDelete(OSUpdatePolicy policy, boolean unknown) {
                    deletedPolicies.add(policy.getMetadata().getName());
                    invariants.policyDeleted(policy.getMetadata().getName());
                  }
                },
                0);
    // policies and pods first: a node's change is judged against its policy and its pods
    podInformer =
        client
            .pods()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    seePod(pod);
                  }

                  @Override
                  public void onUpdate(Pod older, Pod newer) {
                    seePod(newer);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {
                    record(
                        invariants.podDeleted(
                            pod.getMetadata().getNamespace(), pod.getMetadata().getName()));
                  }
                },
                0);
    nodeInformer =
        client
            .nodes()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Node node) {
                    seeNode(node);
                  }

                  @Override
                  public void onUpdate(Node older, Node newer) {
                    seeNode(newer);
                  }

                  @Override
                  public void onDelete(Node node, boolean unknown) {
                    invariants.nodeDeleted(node.getMetadata().getName());
                  }
                },
                0);
    osNodeInformer =
        client
            .resources(OSNode.class)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(OSNode osNode) {
                    seeOsNode(osNode);
                  }

                  @Override
                  public void onUpdate(OSNode older, OSNode newer) {
                    seeOsNode(newer);
                  }

                  @Override
                  public void onDelete(OSNode osNode, boolean unknown) {
                    record(invariants.osNodeDeleted(osNode.getMetadata().getName()));
                  }
                },
                0);
    return this;
  }

  /** From now on, times are counted from this moment (when the policies are applied). */
  void zero() {
    startNanos = System.nanoTime();
    startInstant = Instant.now();
  }

  double now() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private synchronized void seeNode(Node node) {
    String name = node.getMetadata().getName();
    Seen seen = nodes.computeIfAbsent(name, n -> new Seen());
    boolean refit = NodeReadings.refitCordoned(node);
    if (seen.refitCordoned && !NodeReadings.unschedulable(node) && anyWaiting()) {
      // a slot freed while a staged node waits: the next cordon is its handoff
      freedAt.add(now());
    }
    if (!seen.refitCordoned && refit && !freedAt.isEmpty()) {
      handoffs.add((now() - freedAt.remove(0)) * 1000);
    }
    String bootId = NodeReadings.bootId(node);
    if (seen.bootId != null && !Objects.equals(seen.bootId, bootId)) {
      seen.boots++;
    }
    seen.bootId = bootId;
    seen.refitCordoned = refit;
    invariants.node(node).forEach(v -> violations.add(stamped(v)));
    maxDisrupted = Math.max(maxDisrupted, invariants.read(fleet -> fleet.outOfService(n -> true)));
  }

  private boolean anyWaiting() {
    return nodes.values().stream().anyMatch(n -> n.state == NodeState.Staged);
  }

  private void seePod(Pod pod) {
    record(invariants.pod(pod));
  }

  private synchronized void record(List<dev.refit.testing.invariants.Violation> found) {
    found.forEach(v -> violations.add(stamped(v)));
  }

  private synchronized void seeOsNode(OSNode osNode) {
    if (osNode.getSpec() == null) {
      return;
    }
    invariants.osNode(osNode);
    Seen seen = nodes.computeIfAbsent(osNode.getMetadata().getName(), n -> new Seen());
    NodeState state = osNode.getSpec().getState();
    if (state != seen.state) {
      seen.state = state;
      seen.transitions.add(new Transition(round(now()), state.name()));
    }
  }

  /** Every violation: those seen as they happened, then what is left broken at the end. */
  synchronized List<Violation> finish() {
    List<Violation> all = new ArrayList<>(violations);
    invariants.atEnd().forEach(v -> all.add(stamped(v)));
    return all;
  }

  /** On the run's clock: when the evidence says it happened, else now. */
  private Violation stamped(dev.refit.testing.invariants.Violation v) {
    double at = v.at() == null ? now() : Duration.between(startInstant, v.at()).toNanos() / 1e9;
    return new Violation(v.invariant(), v.node(), at, v.detail());
  }

  /** The verdict on the fleet as last seen. */
  dev.refit.testing.invariants.Settled.Verdict settled(dev.refit.testing.invariants.Settled judge) {
    return invariants.read(judge::judge);
  }

  /** Whether the policy was deleted (and its deletion finished). */
  boolean deleted(String policy) {
    return deletedPolicies.contains(policy);
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
    if (podInformer != null) {
      podInformer.close();
    }
    client.close();
  }
}
