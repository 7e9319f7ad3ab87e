package dev.refit.operator.plan;

import java.time.Instant;

/**
 * Why a drain cannot go on: a pod the Eviction API refuses, and since when.
 *
 * @param pod namespace/name of the pod
 * @param reason DisruptionBudget, UnsatisfiableBudget (one that allows no eviction even with all
 *     its pods healthy), EmptyDir, MultiplePDBs, DoNotDisrupt or EvictionError
 * @param detail the PodDisruptionBudget (namespace/name), the pod's opt-out ({@link
 *     DoNotDisrupt#describe}) or what else blocks
 * @param since when the block was first seen
 */
public record Blocker(String pod, String reason, String detail, Instant since) {

  /** The block as a person reads it, e.g. "PDB shop/web (pod shop/web-1)". */
  public String describe() {
    return switch (reason) {
      case "DisruptionBudget" -> "PDB " + detail + " (pod " + pod + ")";
      case "UnsatisfiableBudget" -> unsatisfiable();
      case "EmptyDir" ->
          "pod " + pod + ", which uses emptyDir (set drain.deleteEmptyDirData to evict it)";
      case "MultiplePDBs" -> "pod " + pod + ", which more than one PDB covers (" + detail + ")";
      case "DoNotDisrupt" -> "pod " + pod + ", " + detail;
      default -> "pod " + pod + " (" + detail + ")";
    };
  }

  /**
   * "PDB data/db (pod data/db-0), which can never allow an eviction (minAvailable 2 with 2 pods)":
   * the detail is {@code namespace/name: arithmetic}, several joined by "; ".
   */
  private String unsatisfiable() {
    String[] budgets = detail.split("; ");
    StringBuilder text = new StringBuilder();
    for (String budget : budgets) {
      int colon = budget.indexOf(": ");
      String name = colon < 0 ? budget : budget.substring(0, colon);
      String why = colon < 0 ? "" : " (" + budget.substring(colon + 2) + ")";
      if (text.length() > 0) {
        text.append(", and ");
      }
      text.append("PDB ").append(name);
      if (text.indexOf("(pod ") < 0) {
        text.append(" (pod ").append(pod).append(")");
      }
      text.append(", which can never allow an eviction").append(why);
    }
    return text.toString();
  }
}
