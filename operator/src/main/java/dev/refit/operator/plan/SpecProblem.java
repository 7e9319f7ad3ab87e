package dev.refit.operator.plan;

/**
 * Something wrong with a policy that admission could not catch, in words a person can act on.
 *
 * @param reason CamelCase reason for the Degraded condition and the Event
 * @param message what is wrong and how to fix it
 */
public record SpecProblem(String reason, String message) {}
