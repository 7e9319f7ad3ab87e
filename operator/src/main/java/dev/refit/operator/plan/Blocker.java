package dev.refit.operator.plan;

import java.time.Instant;

/**
 * Why a drain cannot go on: a pod the Eviction API refuses, and since when.
 *
 * @param pod namespace/name of the pod
 * @param reason DisruptionBudget, EmptyDir, MultiplePDBs, DoNotDisrupt or EvictionError
 * @param detail the PodDisruptionBudget (namespace/name), the pod's opt-out ({@link
 *     DoNotDisrupt#describe}) or what else blocks
 * @param since when the block was first seen
 */
public record Blocker(String pod, String reason, String detail, Instant since) {

  /** The block as a person reads it, e.g. "PDB shop/web (pod shop/web-1)". */
  public String describe() {
    return switch (reason) {
      case "DisruptionBudget" -> "PDB " + detail + " (pod " + pod + ")";
      case "EmptyDir" ->
          "pod " + pod + ", which uses emptyDir (set drain.deleteEmptyDirData to evict it)";
      case "MultiplePDBs" -> "pod " + pod + ", which more than one PDB covers (" + detail + ")";
      case "DoNotDisrupt" -> "pod " + pod + ", " + detail;
      default -> "pod " + pod + " (" + detail + ")";
    };
  }
}
