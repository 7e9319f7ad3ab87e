/**
 * Every write the operator makes: OSNodes, cordons, drains and evictions, policy status, Events and
 * metrics. Rule: does what {@code plan} and {@code status} decided and decides nothing itself;
 * idempotent, so repeating a round after a crash converges on the same cluster.
 */
package dev.refit.operator.act;
