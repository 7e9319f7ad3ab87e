package dev.refit.testing;

import java.time.Instant;

/**
 * A pod covered by a PodDisruptionBudget was deleted or marked terminating by something other than
 * an allowed eviction (a direct DELETE, a "force" drain, a node deletion) while that left the
 * budget with fewer healthy pods than it needs.
 *
 * @param time when the API applied the disruption
 * @param namespace the namespace of the pod and the budget
 * @param budget the budget's name
 * @param pod the disrupted pod's name
 * @param desiredHealthy how many healthy pods the budget needs
 * @param healthyAfter how many healthy pods the budget had right after the disruption
 */
public record PdbViolation(
    Instant time,
    String namespace,
    String budget,
    String pod,
    int desiredHealthy,
    int healthyAfter) {}
