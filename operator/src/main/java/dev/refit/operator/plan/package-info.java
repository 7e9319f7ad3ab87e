/**
 * The pure fleet decisions of a round: which nodes a policy manages, its limits and order, the
 * schedule, which node starts next, spec, health and drain judgement. Rule: pure; no client, JOSDK,
 * metrics, executors or system clock (the time is an argument).
 */
package dev.refit.operator.plan;
