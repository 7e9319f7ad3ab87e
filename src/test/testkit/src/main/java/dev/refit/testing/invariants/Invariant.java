package dev.refit.testing.invariants;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * One safety invariant, judged from what a watcher sees of the cluster — never from what the
 * operator says about itself. A watcher feeds every invariant through {@link Invariants}.
 */
public interface Invariant {

  /**
   * Judges a Node as a watch delivered it.
   *
   * @param older the same Node as last seen, or null the first time
   * @param newer the Node now; {@code fleet} already holds it
   * @param fleet every Node, OSNode, policy and pod as last seen
   * @return what this change broke, usually nothing
   */
  default List<Violation> nodeSeen(Node older, Node newer, SeenNodes fleet) {
    return List.of();
  }

  /**
   * Judges a Pod as a watch delivered it (only when the watcher watches pods).
   *
   * @param older the same Pod as last seen, or null the first time
   * @param newer the Pod now; {@code fleet} already holds it
   */
  default List<Violation> podSeen(Pod older, Pod newer, SeenNodes fleet) {
    return List.of();
  }

  /** A Pod is gone from the API; {@code last} is how it was last seen, no longer in the fleet. */
  default List<Violation> podGone(Pod last, SeenNodes fleet) {
    return List.of();
  }

  /** A node's OSNode was deleted: the design's way for a person to retry a node. */
  default List<Violation> osNodeGone(String node, SeenNodes fleet) {
    return List.of();
  }

  /** Judges what is left when the watch ends. */
  default List<Violation> atEnd(SeenNodes fleet) {
    return List.of();
  }
}
