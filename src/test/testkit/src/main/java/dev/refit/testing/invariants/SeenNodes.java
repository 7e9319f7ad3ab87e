package dev.refit.testing.invariants;

import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Every Node and OSNode as a watcher last saw them, by node name. */
public final class SeenNodes {

  private final Map<String, Node> nodes = new TreeMap<>();
  private final Map<String, NodeState> states = new TreeMap<>();
  private final Map<String, OSNode> osNodes = new TreeMap<>();

  void put(Node node) {
    nodes.put(node.getMetadata().getName(), node);
  }

  void remove(String name) {
    nodes.remove(name);
  }

  void put(OSNode osNode) {
    if (osNode.getSpec() != null) {
      states.put(osNode.getMetadata().getName(), osNode.getSpec().getState());
      osNodes.put(osNode.getMetadata().getName(), osNode);
    }
  }

  /** The Node as last seen, or null. */
  public Node node(String name) {
    return nodes.get(name);
  }

  /** The Nodes, by name. */
  public Map<String, Node> nodes() {
    return java.util.Collections.unmodifiableMap(nodes);
  }

  /** Its OSNode as last seen (with a spec), or null. */
  public OSNode osNode(String name) {
    return osNodes.get(name);
  }

  /** The state its OSNode was last seen in, or null. */
  public NodeState state(String name) {
    return states.get(name);
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
}
