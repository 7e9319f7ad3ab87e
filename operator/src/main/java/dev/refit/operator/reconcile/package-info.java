/**
 * The JOSDK glue: the policy reconciler, its event sources and caches, and the {@link
 * dev.refit.operator.reconcile.Observation} a round reads. Rule: observe, decide, act, report in a
 * few named calls; no decision is made here and nothing is written except through {@code act}.
 */
package dev.refit.operator.reconcile;
