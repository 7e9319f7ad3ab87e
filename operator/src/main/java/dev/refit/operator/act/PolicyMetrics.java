package dev.refit.operator.act;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counters about the policy reconciler itself. Tagged by policy only (bounded). */
public final class PolicyMetrics {

  private final MeterRegistry registry;

  public PolicyMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void reconciled(String policy) {
    Counter.builder("refit.policy.reconciliations")
        .description("Reconciliations of a policy")
        .tag("policy", policy)
        .register(registry)
        .increment();
  }

  public void statusWritten(String policy) {
    Counter.builder("refit.policy.status.writes")
        .description("Status writes of a policy (only when the status changed)")
        .tag("policy", policy)
        .register(registry)
        .increment();
  }
}
