package dev.refit.updater.app;

import dev.refit.updater.agent.AgentMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code refit_agent_steps_total{action,outcome}}: what each step of the agent came to. */
final class MicrometerAgentMetrics implements AgentMetrics {

  private final MeterRegistry registry;

  MicrometerAgentMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void step(String action, String outcome) {
    registry.counter("refit.agent.steps", "action", action, "outcome", outcome).increment();
  }
}
