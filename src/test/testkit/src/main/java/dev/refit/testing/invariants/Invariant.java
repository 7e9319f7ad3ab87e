package dev.refit.testing.invariants;

import io.fabric8.kubernetes.api.model.Node;
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
   * @param fleet every Node and OSNode as last seen
   * @return what this change broke, usually nothing
   */
  default List<Violation> nodeSeen(Node older, Node newer, SeenNodes fleet) {
    return List.of();
  }

  /** Judges what is left when the watch ends. */
  default List<Violation> atEnd(SeenNodes fleet) {
    return List.of();
  }
}
