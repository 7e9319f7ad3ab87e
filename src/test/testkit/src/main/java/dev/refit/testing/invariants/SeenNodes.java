package dev.refit.testing.invariants;

import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Every Node, OSNode, policy and pod as a watcher last saw them (nodes by name, pods by {@code
 * namespace/name}): when each node last went into or out of service, and how the policies stood
 * before their latest edits ({@link SeenPolicies}), each change stamped with when the server wrote
 * it where the server tells ({@link #written}).
 */
public final class SeenNodes {

  private final Clock clock;
  private final ServerClock server;
  private final Map<String, Node> nodes = new TreeMap<>();
  private final Map<String, Instant> serviceChanged = new HashMap<>();
  private final Map<String, NodeState> states = new TreeMap<>();
  private final Map<String, OSNode> osNodes = new TreeMap<>();
  private final Map<String, Pod> pods = new TreeMap<>();
  private final Map<String, String> podNodes = new HashMap<>();
  private final Map<String, Binding> bindings = new HashMap<>();
  private final SeenPolicies policies = new SeenPolicies();
  private final Map<String, String> facts = new HashMap<>();
  private Instant lastChange = Instant.EPOCH;

  SeenNodes(Clock clock, ServerClock server) {
    this.clock = clock;
    this.server = server;
  }

  void put(Node node) {
    String name = node.getMetadata().getName();
    Node older = nodes.put(name, node);
    if (older == null) {
      // out of service before the watch began: as if since forever, no race to forgive
      serviceChanged.put(name, Instant.EPOCH);
    } else if (NodeReadings.outOfService(older) != NodeReadings.outOfService(node)) {
      serviceChanged.put(name, written(node));
    }
    noteFacts("node/" + name, NodeReadings.facts(node));
  }

  void remove(String name) {
    nodes.remove(name);
    serviceChanged.remove(name);
    noteFacts("node/" + name, null);
  }

  void put(OSNode osNode) {
    if (osNode.getSpec() != null) {
      states.put(osNode.getMetadata().getName(), osNode.getSpec().getState());
      osNodes.put(osNode.getMetadata().getName(), osNode);
      noteFacts("osnode/" + osNode.getMetadata().getName(), Settled.facts(osNode));
    }
  }

  void removeOsNode(String name) {
    states.remove(name);
    osNodes.remove(name);
    noteFacts("osnode/" + name, null);
  }

  /** A policy's spec changed, or it appeared or went. */
  void policyChanged() {
    lastChange = now();
  }

  /** Records what is now known of one object; a difference is a change. */
  private void noteFacts(String key, String now) {
    String before = now == null ? facts.remove(key) : facts.put(key, now);
    if (!java.util.Objects.equals(before, now)) {
      lastChange = now();
    }
  }

  /**
   * Where and from which {@code resourceVersion} on the watcher first saw a pod (one UID) bound.
   */
  private record Binding(String uid, String node, String resourceVersion) {}

  void put(Pod pod) {
    String key = key(pod);
    pods.put(key, pod);
    if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
      String node = pod.getSpec().getNodeName();
      podNodes.put(key, node);
      String uid = pod.getMetadata().getUid();
      Binding known = bindings.get(key);
      if (known == null
          || !known.node().equals(node)
          || uid != null && known.uid() != null && !uid.equals(known.uid())) {
        bindings.put(key, new Binding(uid, node, pod.getMetadata().getResourceVersion()));
      }
    }
  }

  Pod removePod(String namespace, String name) {
    return pods.remove(namespace + "/" + name);
  }

  /** The watcher's clock now. */
  public Instant now() {
    return clock.instant();
  }

  /**
   * When the server wrote this version of the object, where the server tells ({@link ServerClock});
   * else now, as the watch delivers it. The judges of moments use it: a watch may deliver one kind
   * of object seconds after another under load, the server's order it keeps.
   */
  public Instant written(io.fabric8.kubernetes.api.model.HasMetadata object) {
    Instant at = server.written(object.getMetadata().getResourceVersion());
    return at == null ? now() : at;
  }

  /**
   * When the watcher last saw anything change that decides whether the fleet is {@link Settled}: a
   * Node's cordon, readiness, boot ID or labels, an OSNode's state, work order or its agent's
   * report (not its conditions, which an agent may re-report unchanged), a policy's spec, or an
   * object coming or going. {@link Instant#EPOCH} before anything was seen.
   */
  public Instant lastChange() {
    return lastChange;
  }

  /** The Node as last seen, or null. */
  public Node node(String name) {
    return nodes.get(name);
  }

  /** The Nodes, by name. */
  public Map<String, Node> nodes() {
    return Collections.unmodifiableMap(nodes);
  }

  /**
   * When the node last went out of service or back into it, as the watcher saw it ({@link
   * Instant#EPOCH} when it has not changed since it was first seen).
   */
  public Instant serviceChanged(String name) {
    return serviceChanged.getOrDefault(name, Instant.EPOCH);
  }

  /** Its OSNode as last seen (with a spec), or null. */
  public OSNode osNode(String name) {
    return osNodes.get(name);
  }

  /** The state its OSNode was last seen in, or null. */
  public NodeState state(String name) {
    return states.get(name);
  }

  /** The OSNodes as last seen, by node name. */
  public Map<String, OSNode> osNodes() {
    return Collections.unmodifiableMap(osNodes);
  }

  /** The policies as seen. */
  public SeenPolicies policies() {
    return policies;
  }

  /** The pods bound to this node as last seen (empty when the watcher does not watch pods). */
  public List<Pod> podsOn(String node) {
    return pods.values().stream()
        .filter(p -> p.getSpec() != null && node.equals(p.getSpec().getNodeName()))
        .toList();
  }

  /** The node a pod ({@code namespace/name}) was last seen bound to, even once gone; or null. */
  public String podNode(String namespace, String name) {
    return podNodes.get(namespace + "/" + name);
  }

  /**
   * Whether the pod came to be bound to its node only after the API server stored this version of
   * the Node: the version the watcher first saw it bound in is newer. The embedded API server
   * numbers every write of every kind from one counter, so the order holds across the pod and Node
   * watches, which deliver independently (one may run seconds behind the other on a busy machine).
   * False when either version is unknown or not a number.
   */
  public boolean boundAfter(Pod pod, Node node) {
    Binding binding = bindings.get(key(pod));
    if (binding == null || !binding.node().equals(node.getMetadata().getName())) {
      return false;
    }
    try {
      return Long.parseLong(binding.resourceVersion())
          > Long.parseLong(node.getMetadata().getResourceVersion());
    } catch (NumberFormatException | NullPointerException e) {
      return false;
    }
  }

  /** How many of the nodes these names select are out of service (cordoned or not Ready). */
  public int outOfService(Predicate<String> names) {
    return (int)
        nodes.entrySet().stream()
            .filter(e -> names.test(e.getKey()) && NodeReadings.outOfService(e.getValue()))
            .count();
  }

  /** The nodes that carry Refit's cordon, sorted. */
  public List<String> refitCordoned() {
    return nodes.values().stream()
        .filter(NodeReadings::refitCordoned)
        .map(n -> n.getMetadata().getName())
        .toList();
  }

  static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }
}
