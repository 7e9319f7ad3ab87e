/**
 * Wiring: the Quarkus configuration, the Kubernetes client, the clock, leader election and how the
 * process ends when its lease is lost. Rule: the only place that knows Quarkus and CDI beyond the
 * reconciler; nothing but {@code reconcile} depends on it.
 */
package dev.refit.operator.config;
