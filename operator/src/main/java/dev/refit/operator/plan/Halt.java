package dev.refit.operator.plan;

import dev.refit.api.PolicyReasons;

/**
 * Why a rollout is halted: no node starts a disruption until a person acts.
 *
 * @param reason the Degraded reason ({@link PolicyReasons#DRAIN_TIMED_OUT} or {@link
 *     PolicyReasons#FAILURE_BUDGET_EXHAUSTED})
 * @param message what happened and what to do, naming the nodes
 */
public record Halt(String reason, String message) {}
