package dev.refit.operator.config;

import java.time.Duration;

/**
 * The operator's own settings (not per policy).
 *
 * @param drainRetryInterval how long to wait before retrying an eviction a PDB refused
 * @param parallelEvictions how many evictions run at once, over all nodes
 * @param eventsNamespace the namespace Events about cluster-scoped objects are written to
 * @param operatorNode the node the operator runs on (updated last), or null
 */
public record OperatorSettings(
    Duration drainRetryInterval,
    int parallelEvictions,
    String eventsNamespace,
    String operatorNode) {

  /** Settings for a production operator. */
  public static OperatorSettings defaults() {
    return new OperatorSettings(Duration.ofSeconds(5), 8, "default", null);
  }
}
