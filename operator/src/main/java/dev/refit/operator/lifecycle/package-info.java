/**
 * The per-node update lifecycle as a pure function: a node's facts in, its next steps out. Rule:
 * pure and self-contained; it knows only the API model and the time it is given.
 */
package dev.refit.operator.lifecycle;
