package dev.refit.operator.config;

import java.time.Duration;

/**
 * The operator's own settings (not per policy).
 *
 * @param drainRetryInterval how long to wait before retrying an eviction a PDB refused
 * @param parallelEvictions how many evictions run at once, over all nodes
 * @param eventsNamespace the namespace Events about cluster-scoped objects are written to
 * @param operatorNode the node the operator runs on (updated last), or null
 * @param healthQueryInterval how long an answer of a policy's Prometheus check counts, and how
 *     often a check that holds a rollout is asked again
 */
public record OperatorSettings(
    Duration drainRetryInterval,
    int parallelEvictions,
    String eventsNamespace,
    String operatorNode,
    Duration healthQueryInterval) {

  /** Settings for a production operator. */
  public static OperatorSettings defaults() {
    return new OperatorSettings(Duration.ofSeconds(5), 8, "default", null, Duration.ofSeconds(15));
  }
}
