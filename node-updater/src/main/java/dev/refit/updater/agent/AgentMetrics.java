package dev.refit.updater.agent;

/**
 * What the agent counts. Tags are bounded: instruction kinds and outcomes, never a node name (one
 * agent runs per node; the scrape target already names it).
 */
public interface AgentMetrics {

  /** One step ended: {@code action} is None/Stage/Apply/Rollback, {@code outcome} a fixed word. */
  void step(String action, String outcome);

  /** Counts nothing. */
  AgentMetrics NONE = (action, outcome) -> {};
}
