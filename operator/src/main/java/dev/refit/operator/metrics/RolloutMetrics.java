package dev.refit.operator.metrics;

import dev.refit.api.NodeState;
import dev.refit.api.lifecycle.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
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
 *   <li>{@code refit_rollout_halted{policy}}: 1 while the rollout is halted
 * </ul>
 */
public class RolloutMetrics {

  /** Phases whose duration is measured. */
  public enum Phase {
    drain,
    reboot,
    verify
  }

  private final MeterRegistry registry;
  private final Map<String, Map<NodeState, AtomicLong>> nodes = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> halted = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> blockedSeconds = new ConcurrentHashMap<>();

  public RolloutMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Sets the node counts of a policy; states with no node read 0. */
  public void nodes(String policy, Map<NodeState, Integer> counts) {
    Map<NodeState, AtomicLong> gauges =
        nodes.computeIfAbsent(
            policy,
            p -> {
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
    Counter.builder("refit.node.updates")
        .description("Node updates that ended, by outcome")
        .tag("policy", policy)
        .tag("outcome", outcome.name().toLowerCase())
        .register(registry)
        .increment();
  }

  public void phase(String policy, Phase phase, Duration duration) {
    Timer.builder("refit.phase.duration")
        .description("How long nodes spent draining, rebooting and verifying")
        .tag("policy", policy)
        .tag("phase", phase.name())
        .publishPercentileHistogram()
        .register(registry)
        .record(duration);
  }

  public void halted(String policy, boolean isHalted) {
    gauge(halted, "refit.rollout.halted", "1 while the policy's rollout is halted", policy)
        .set(isHalted ? 1 : 0);
  }

  public void blockedSeconds(String policy, long seconds) {
    gauge(
            blockedSeconds,
            "refit.drain.blocked.seconds",
            "Total seconds the policy's current drains have been blocked",
            policy)
        .set(seconds);
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
