package dev.refit.testing.invariants;

import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OnTimeout;
import dev.refit.testing.PdbViolation;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code pdbNeverViolated}: no pod covered by a PodDisruptionBudget goes down while an eviction
 * would have been refused, unless a policy allows it ({@code drain.onTimeout: Force}). The evidence
 * is the embedded API's own log of such disruptions ({@link PdbViolation}), judged by the test
 * kit's PDB oracle.
 */
public final class PdbNeverViolated implements Invariant {

  public static final String NAME = Violation.PDB_NEVER_VIOLATED;

  private final Supplier<List<PdbViolation>> disruptions;
  private final boolean forceAllowed;

  private PdbNeverViolated(Supplier<List<PdbViolation>> disruptions, boolean forceAllowed) {
    this.disruptions = disruptions;
    this.forceAllowed = forceAllowed;
  }

  /**
   * @param disruptions the API's log, such as {@code EmbeddedKubernetes::pdbViolations}
   * @param policies the policies applied: if one forces drains, breaking a budget is allowed
   */
  public static PdbNeverViolated unlessForced(
      Supplier<List<PdbViolation>> disruptions, List<OSUpdatePolicy> policies) {
    boolean forceAllowed =
        policies.stream().anyMatch(p -> p.getSpec().getDrain().getOnTimeout() == OnTimeout.Force);
    return new PdbNeverViolated(disruptions, forceAllowed);
  }

  @Override
  public List<Violation> atEnd(SeenNodes fleet) {
    if (forceAllowed) {
      return List.of();
    }
    return disruptions.get().stream()
        .map(
            v ->
                new Violation(
                    NAME,
                    null,
                    "pod "
                        + v.namespace()
                        + "/"
                        + v.pod()
                        + " went down while budget "
                        + v.budget()
                        + " needed "
                        + v.desiredHealthy()
                        + " healthy, leaving "
                        + v.healthyAfter(),
                    v.time()))
        .toList();
  }
}
