/**
 * What a round means for people: a policy's status (conditions, counts, problems) and which Events
 * a round records, as values. Rule: pure; the same inputs give the same status and Events, with no
 * client, clock, executor or metrics.
 */
package dev.refit.operator.status;
