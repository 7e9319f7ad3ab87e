package dev.refit.sim;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.refit.api.Condition;
import dev.refit.api.NodeCounts;
import dev.refit.api.OSUpdatePolicyStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a simulation found, as written by {@code --report} (schema in docs/simulator.md).
 *
 * @param completed whether the fleet was observed settled in time (every policy's nodes on the
 *     target or given up on, or its rollout paused or halted; see {@code Settled})
 * @param durationSeconds from the first policy applied to the end
 * @param idealSeconds the lower bound for this fleet, these limits and these timings
 * @param maxDisruptedObserved most nodes seen out of service (cordoned or not Ready) at once
 * @param invariantViolations broken promises, as the harness saw them
 * @param nodes every node's end and path
 * @param policies every policy's conditions and counts at the end
 * @param apiRequests requests the embedded API served
 * @param handoffLatencyMillis from a disruption slot freed (a node uncordoned) to the next node
 *     cordoned
 * @param operator the operator process's memory and restarts
 * @param evictions what the Eviction API answered: what blocked the drains, and how often
 * @param unschedulablePods pods that fitted no node when created (they stayed Pending, at least for
 *     a while)
 * @param apiFaults the API faults injected into the operator's requests, and how many reached its
 *     code (null when none were asked for)
 * @param discrepancies where the operator's {@code Progressing} condition disagreed with the fleet
 *     as observed (see {@link Ending})
 */
public record Report(
    boolean completed,
    double durationSeconds,
    double idealSeconds,
    int maxDisruptedObserved,
    List<Violation> invariantViolations,
    List<NodeReport> nodes,
    List<PolicyReport> policies,
    ApiRequests apiRequests,
    Latency handoffLatencyMillis,
    OperatorFigures operator,
    Evictions evictions,
    List<UnschedulablePod> unschedulablePods,
    ApiFaultCounts apiFaults,
    List<Discrepancy> discrepancies) {

  /** The condition of this type a policy had at the end; fails when there is none. */
  public Condition condition(String policy, String type) {
    return policies.stream()
        .filter(p -> p.name().equals(policy))
        .flatMap(p -> p.conditions().stream())
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(policy + " has no condition " + type));
  }

  /** The operator's word against what was observed: when, which policy, what disagreed. */
  public record Discrepancy(double atSeconds, String policy, String detail) {}

  /**
   * API faults met by the operator.
   *
   * @param injected fault answers sent and watches closed, by kind
   * @param reachedOperator operations whose failure reached the operator's code: streaks that
   *     outlasted its client's retries, conflicts, closed watches and 410s
   * @param absorbedByRetries streaks its client's retries absorbed
   */
  public record ApiFaultCounts(
      Map<String, Long> injected, long reachedOperator, long absorbedByRetries) {
    static ApiFaultCounts of(dev.refit.testing.ApiFaults.Counts counts) {
      Map<String, Long> byKind = new java.util.TreeMap<>();
      counts.injected().forEach((kind, n) -> byKind.put(kind.name(), n));
      return new ApiFaultCounts(byKind, counts.reachedClient(), counts.absorbed());
    }

    long injectedTotal() {
      return injected.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** A broken invariant: which, where, when, what. */
  public record Violation(String invariant, String node, double atSeconds, String detail) {}

  /** A state a node entered, and when. */
  public record Transition(double atSeconds, String state) {}

  /**
   * One node at the end.
   *
   * @param updated whether it is on its policy's target: booted its OS and, by its agent's report,
   *     on the revision its work order names (which covers the SELinux state)
   * @param notUpdatedBecause for a node not on the target: its state, its OSNode's reason and
   *     message, and the budgets that refused evictions of its pods; or that no policy selected it
   */
  public record NodeReport(
      String name,
      boolean updated,
      String finalVersion,
      boolean cordonedAtEnd,
      String state,
      int boots,
      List<Transition> transitions,
      String notUpdatedBecause) {}

  /**
   * One policy at the end.
   *
   * @param conditions its status's conditions (also in {@code status})
   * @param counts its status's node counts (also in {@code status})
   * @param status its whole status, as the operator wrote it last
   */
  public record PolicyReport(
      String name, List<Condition> conditions, NodeCounts counts, OSUpdatePolicyStatus status) {}

  /**
   * A pod no node could take when it was created.
   *
   * @param pod namespace/name
   * @param workload its controller, namespace/name
   * @param reason the scheduler's summary ("0/5 nodes are available: ...")
   * @param placedOn the node it went to later, or null if it stayed Pending
   */
  public record UnschedulablePod(String pod, String workload, String reason, String placedOn) {}

  /** Requests served by the embedded API. */
  public record ApiRequests(
      long total,
      Map<String, Long> byVerb,
      Map<String, Long> byResource,
      long operatorTotal,
      double operatorPerNodeUpdate) {}

  /** Latency percentiles, in milliseconds. */
  public record Latency(double p50, double p99, int samples) {
    static Latency of(List<Double> values) {
      if (values.isEmpty()) {
        return new Latency(0, 0, 0);
      }
      List<Double> sorted = values.stream().sorted().toList();
      return new Latency(percentile(sorted, 50), percentile(sorted, 99), sorted.size());
    }

    private static double percentile(List<Double> sorted, int p) {
      int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
      return Math.round(sorted.get(Math.max(0, index)) * 10) / 10.0;
    }
  }

  /** Eviction answers: allowed, refused (by budget, namespace/name), and other errors. */
  public record Evictions(long allowed, long blocked, Map<String, Long> blockedByBudget) {}

  /** The operator process's figures. */
  public record OperatorFigures(long peakHeapBytes, long peakRssBytes, int starts) {}

  /** Whether the run is a success: finished, no promise broken. */
  public boolean passed() {
    return completed && invariantViolations.isEmpty();
  }

  void write(Path file) throws IOException {
    JsonMapper.builder()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .build()
        .writeValue(file.toFile(), this);
  }
}
