package dev.refit.operator.act;

import dev.refit.api.NodeState;
import dev.refit.operator.lifecycle.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rollout's meters for Prometheus. Tags are bounded: the policy, a lifecycle state, an outcome
 * or a phase; never a node name.
 *
 * <ul>
 *   <li>{@code refit_nodes{policy,state}}: managed nodes by lifecycle state
 *   <li>{@code refit_node_updates_total{policy,outcome}}: node updates that ended, by outcome
 *   <li>{@code refit_phase_duration_seconds{policy,phase}}: drain, reboot and verify durations
 *   <li>{@code refit_drain_blocked_seconds{policy}}: total time the policy's current drains have
 *       been blocked
 *   <li>{@code refit_drain_blocked_longest_seconds{policy}}: how long the longest-blocked of them
 *       has been blocked
 *   <li>{@code refit_rollout_halted{policy}}: 1 while the rollout is halted
 * </ul>
 *
 * <p>docs/metrics.md lists them, and a test keeps the two equal.
 */
public class RolloutMetrics {

  /** Phases whose duration is measured. */
  public enum Phase {
    drain,
    reboot,
    verify
  }

  /** Upper bounds of the phase histogram's buckets (+Inf is added). */
  static final Duration[] PHASE_BUCKETS = {
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(2),
    Duration.ofMinutes(3),
    Duration.ofMinutes(5),
    Duration.ofMinutes(10),
    Duration.ofMinutes(15),
    Duration.ofMinutes(20),
    Duration.ofMinutes(30),
    Duration.ofHours(1),
    Duration.ofHours(2)
  };

  private final MeterRegistry registry;
  private final Map<String, Map<NodeState, AtomicLong>> nodes = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> halted = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> blockedSeconds = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> blockedLongestSeconds = new ConcurrentHashMap<>();

  public RolloutMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Sets the node counts of a policy; states with no node read 0. The first call for a policy also
   * registers its outcome counters at 0, so that a policy's first failure is an increase Prometheus
   * sees (a counter first scraped at 1 shows no {@code increase()}).
   */
  public void nodes(String policy, Map<NodeState, Integer> counts) {
    Map<NodeState, AtomicLong> gauges =
        nodes.computeIfAbsent(
            policy,
            p -> {
              for (Outcome outcome : Outcome.values()) {
                outcomes(p, outcome);
              }
              Map<NodeState, AtomicLong> byState = new EnumMap<>(NodeState.class);
              for (NodeState state : NodeState.values()) {
                AtomicLong value = new AtomicLong();
                Gauge.builder("refit.nodes", value, AtomicLong::get)
                    .description("Managed nodes by lifecycle state")
                    .tag("policy", p)
                    .tag("state", state.name())
                    .register(registry);
                byState.put(state, value);
              }
              return byState;
            });
    gauges.forEach((state, value) -> value.set(counts.getOrDefault(state, 0)));
  }

  public void outcome(String policy, Outcome outcome) {
    outcomes(policy, outcome).increment();
  }

  private Counter outcomes(String policy, Outcome outcome) {
    return Counter.builder("refit.node.updates")
        .description("Node updates that ended, by outcome")
        .tag("policy", policy)
        .tag("outcome", outcome.name().toLowerCase())
        .register(registry);
  }

  /**
   * Records a phase's duration. The histogram's buckets span seconds to hours, the range drains,
   * reboots and verifications take (a timer's default buckets end at 30 s, which would put nearly
   * every phase in +Inf).
   */
  public void phase(String policy, Phase phase, Duration duration) {
    Timer.builder("refit.phase.duration")
        .description("How long nodes spent draining, rebooting and verifying")
        .tag("policy", policy)
        .tag("phase", phase.name())
        .serviceLevelObjectives(PHASE_BUCKETS)
        .register(registry)
        .record(duration);
  }

  public void halted(String policy, boolean isHalted) {
    gauge(halted, "refit.rollout.halted", "1 while the policy's rollout is halted", policy)
        .set(isHalted ? 1 : 0);
  }

  /**
   * Sets, from how long each of the policy's current drains has been blocked, their total and the
   * longest of them (0 when none is blocked). An alert on "a drain blocked for N minutes" needs the
   * longest: the total of two drains blocked for 20 minutes each reads 40.
   */
  public void drainsBlocked(String policy, Collection<Duration> blockedFor) {
    long total = 0;
    long longest = 0;
    for (Duration blocked : blockedFor) {
      total += blocked.toSeconds();
      longest = Math.max(longest, blocked.toSeconds());
    }
    gauge(
            blockedSeconds,
            "refit.drain.blocked.seconds",
            "Total seconds the policy's current drains have been blocked",
            policy)
        .set(total);
    gauge(
            blockedLongestSeconds,
            "refit.drain.blocked.longest.seconds",
            "Seconds the longest-blocked of the policy's current drains has been blocked",
            policy)
        .set(longest);
  }

  /**
   * Removes every {@code refit_*} series of a policy that is gone (its deletion finished), the
   * reconciler's counters included, so that a deleted policy neither keeps an alert firing nor is
   * counted by the dashboard. A policy created again under the same name starts from zero.
   */
  public void forget(String policy) {
    nodes.remove(policy);
    halted.remove(policy);
    blockedSeconds.remove(policy);
    blockedLongestSeconds.remove(policy);
    registry.getMeters().stream()
        .filter(
            m ->
                m.getId().getName().startsWith("refit.")
                    && policy.equals(m.getId().getTag("policy")))
        .toList()
        .forEach(registry::remove);
  }

  private AtomicLong gauge(
      Map<String, AtomicLong> gauges, String name, String description, String policy) {
    return gauges.computeIfAbsent(
        policy,
        p -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder(name, value, AtomicLong::get)
              .description(description)
              .tag("policy", p)
              .register(registry);
          return value;
        });
  }
}
