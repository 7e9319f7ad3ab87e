package dev.refit.testing.invariants;

import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code noForeignUncordon}: a cordon Refit did not set is never lifted. Which cordons are foreign
 * the watcher says ({@link #cordonedByPerson}), or, for a fleet no person touches, every cordon
 * without Refit's mark that a node carries when it is first seen.
 */
public final class NoForeignUncordon implements Invariant {

  public static final String NAME = Violation.NO_FOREIGN_UNCORDON;

  private final boolean foreignAtFirstSight;
  private final Set<String> foreign = ConcurrentHashMap.newKeySet();

  private NoForeignUncordon(boolean foreignAtFirstSight) {
    this.foreignAtFirstSight = foreignAtFirstSight;
  }

  /** Foreign: the cordons without Refit's mark that nodes carry when first seen. */
  public static NoForeignUncordon ofCordonsFoundAtFirstSight() {
    return new NoForeignUncordon(true);
  }

  /** Foreign: only the cordons declared with {@link #cordonedByPerson}. */
  public static NoForeignUncordon ofDeclaredCordons() {
    return new NoForeignUncordon(false);
  }

  /** A person cordoned this node; Refit must never lift it. */
  public void cordonedByPerson(String node) {
    foreign.add(node);
  }

  /** The person lifted their own cordon; the node is fair game again. */
  public void uncordonedByPerson(String node) {
    foreign.remove(node);
  }

  @Override
  public List<Violation> nodeSeen(Node older, Node newer, SeenNodes fleet) {
    String name = newer.getMetadata().getName();
    boolean cordoned = NodeReadings.unschedulable(newer);
    if (foreignAtFirstSight && older == null && cordoned && !NodeReadings.refitCordoned(newer)) {
      foreign.add(name);
    }
    // a lift is a cordoned node seen uncordoned: a person's cordon declared just before its write
    // lands may first be seen not yet set, which lifts nothing
    boolean wasCordoned = older != null && NodeReadings.unschedulable(older);
    if (!cordoned && wasCordoned && foreign.remove(name)) {
      return List.of(Violation.seen(NAME, name, "a cordon Refit did not set was lifted"));
    }
    return List.of();
  }
}
