package dev.refit.testing.invariants;

import dev.refit.api.OSNode;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * The invariants a watcher judges, and what it has seen: the watcher hands over every Node and
 * OSNode its watches deliver, and at the end asks what is left broken.
 */
public final class Invariants {

  private final List<Invariant> invariants;
  private final SeenNodes seen = new SeenNodes();
  private final List<Violation> violations = new ArrayList<>();

  public Invariants(List<Invariant> invariants) {
    this.invariants = List.copyOf(invariants);
  }

  /** Takes in a Node as a watch delivered it; returns what this change broke. */
  public synchronized List<Violation> node(Node node) {
    Node older = seen.node(node.getMetadata().getName());
    seen.put(node);
    List<Violation> found = new ArrayList<>();
    for (Invariant invariant : invariants) {
      found.addAll(invariant.nodeSeen(older, node, seen));
    }
    violations.addAll(found);
    return found;
  }

  /** A Node was deleted: it no longer counts. */
  public synchronized void nodeDeleted(String name) {
    seen.remove(name);
  }

  /** Takes in an OSNode as a watch delivered it. */
  public synchronized void osNode(OSNode osNode) {
    seen.put(osNode);
  }

  /** Judges what is left at the end (what was broken on the way is {@link #violations()}). */
  public synchronized List<Violation> atEnd() {
    List<Violation> found = new ArrayList<>();
    for (Invariant invariant : invariants) {
      found.addAll(invariant.atEnd(seen));
    }
    return found;
  }

  /** What was broken on the way so far, earliest first. */
  public synchronized List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** Reads what was seen, under the same lock as the changes. */
  public synchronized <T> T read(java.util.function.Function<SeenNodes, T> reader) {
    return reader.apply(seen);
  }
}
