/**
 * The agent: the pure core ({@code AgentStep}, {@code TargetMatch}, {@code StatusComposer}), {@code
 * NodeAgent} which runs its decisions, and its port {@code OsBackend} with the types in its
 * signatures. Imports only selinux and host; it uses no Kubernetes client, no Micrometer, no
 * executor of its own, and reads time only from the Clock it is given.
 */
package dev.refit.updater.agent;
