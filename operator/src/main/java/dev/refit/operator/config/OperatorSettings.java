package dev.refit.operator.config;

import java.time.Duration;
import java.util.Set;

/**
 * The operator's own settings (not per policy).
 *
 * @param drainRetryInterval how long to wait before retrying an eviction a PDB refused
 * @param parallelEvictions how many evictions run at once, over all nodes
 * @param eventsNamespace the namespace Events about cluster-scoped objects are written to
 * @param operatorNode the node the operator runs on (updated last), or null
 * @param healthQueryInterval how long an answer of a policy's Prometheus check counts, and how
 *     often a check that holds a rollout is asked again
 * @param moduleNamespaces the namespaces whose ConfigMaps the operator watches for SELinux module
 *     sources (the chart's {@code nodeUpdater.moduleConfigMapNamespaces}, where the node-updater
 *     may read them too)
 */
public record OperatorSettings(
    Duration drainRetryInterval,
    int parallelEvictions,
    String eventsNamespace,
    String operatorNode,
    Duration healthQueryInterval,
    Set<String> moduleNamespaces) {

  /** Copies the namespaces. */
  public OperatorSettings {
    moduleNamespaces = Set.copyOf(moduleNamespaces);
  }

  /** Settings for a production operator in the namespace {@code refit-system}. */
  public static OperatorSettings defaults() {
    return new OperatorSettings(
        Duration.ofSeconds(5), 8, "default", null, Duration.ofSeconds(15), Set.of("refit-system"));
  }
}
