/**
 * The process: configuration, startup and shutdown, the HTTP server for health and metrics,
 * Micrometer, and the wiring of every layer below. The top layer: it may import every other
 * package, and none imports it.
 */
package dev.refit.updater.app;
