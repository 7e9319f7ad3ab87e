package dev.refit.testing.invariants;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code noNodeLeftCordoned}: at the end no node is still cordoned by Refit although it is Ready. A
 * node that never came back stays cordoned on purpose.
 */
public final class NoNodeLeftCordoned implements Invariant {

  public static final String NAME = "noNodeLeftCordoned";

  @Override
  public List<Violation> atEnd(SeenNodes fleet) {
    List<Violation> found = new ArrayList<>();
    fleet
        .nodes()
        .forEach(
            (name, node) -> {
              if (NodeReadings.refitCordoned(node) && NodeReadings.ready(node)) {
                found.add(
                    Violation.seen(
                        NAME,
                        name,
                        "Ready but still cordoned by Refit at the end (state "
                            + fleet.state(name)
                            + ")"));
              }
            });
    return found;
  }
}
