package dev.refit.testing.invariants;

import java.time.Instant;

/**
 * A broken invariant.
 *
 * @param invariant the invariant's name, as reports and docs/simulator.md give it (one of the
 *     constants here)
 * @param node the node it concerns, or null (a budget names a pod, a spec write a client)
 * @param detail what was seen
 * @param at when it happened, where the evidence records it (the API's disruption log); null when
 *     it happened as the watcher judged it
 */
public record Violation(String invariant, String node, String detail, Instant at) {

  /** {@link MaxUnavailable}. */
  public static final String MAX_UNAVAILABLE = "maxUnavailable";

  /** {@link NoForeignUncordon}. */
  public static final String NO_FOREIGN_UNCORDON = "noForeignUncordon";

  /** {@link NoNodeLeftCordoned}. */
  public static final String NO_NODE_LEFT_CORDONED = "noNodeLeftCordoned";

  /** {@link PdbNeverViolated}. */
  public static final String PDB_NEVER_VIOLATED = "pdbNeverViolated";

  /** {@link RebootOncePerTarget}. */
  public static final String REBOOT_ONCE_PER_TARGET = "rebootOncePerTarget";

  /** {@link NoDoubleDrain}. */
  public static final String NO_DOUBLE_DRAIN = "noDoubleDrain";

  /** {@link SpecNeverWritten}. */
  public static final String SPEC_NEVER_WRITTEN = "specNeverWritten";

  static Violation seen(String invariant, String node, String detail) {
    return new Violation(invariant, node, detail, null);
  }

  @Override
  public String toString() {
    return invariant + (node == null ? "" : " " + node) + ": " + detail;
  }
}
