package dev.refit.testing.invariants;

import java.time.Instant;

/**
 * A broken invariant.
 *
 * @param invariant the invariant's name, as reports and docs/simulator.md give it
 * @param node the node it concerns, or null (a budget names a pod)
 * @param detail what was seen
 * @param at when it happened, where the evidence records it (the API's disruption log); null when
 *     it happened as the watcher judged it
 */
public record Violation(String invariant, String node, String detail, Instant at) {

  static Violation seen(String invariant, String node, String detail) {
    return new Violation(invariant, node, detail, null);
  }

  @Override
  public String toString() {
    return invariant + (node == null ? "" : " " + node) + ": " + detail;
  }
}
