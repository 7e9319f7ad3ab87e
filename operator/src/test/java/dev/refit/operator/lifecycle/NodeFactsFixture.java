package dev.refit.operator.lifecycle;

import dev.refit.api.ActionState;
import dev.refit.api.NodeAction;
import dev.refit.api.NodeState;
import dev.refit.api.OnTimeout;
import dev.refit.operator.lifecycle.NodeFacts.NodeView;
import dev.refit.operator.lifecycle.NodeFacts.Timeouts;
import java.time.Duration;
import java.time.Instant;

/** A fluent builder of {@link NodeFacts} for tests, starting from a calm node. */
final class NodeFactsFixture {
  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  static final String OLD = "0000000000aa";
  static final String NEW = "0000000000bb";
  static final Timeouts TIMEOUTS =
      new Timeouts(
          Duration.ofMinutes(60),
          Duration.ofSeconds(600),
          Duration.ofSeconds(900),
          Duration.ofSeconds(600));

  NodeState state = NodeState.Pending;
  Instant since = T0;
  String reason;
  String revision = NEW;
  NodeAction action = NodeAction.None;
  String actionId;
  int attempts;
  String current;
  String staged;
  String observed;
  ActionState actionState;
  String bootBefore;
  Boolean rebootPending = true;
  String error;
  AgentReport.Refusal refusal;
  java.util.List<String> drift = java.util.List.of();
  boolean ready = true;
  boolean unschedulable;
  boolean cordonedByRefit;
  String bootId = "boot-1";
  String target = NEW;
  boolean granted;
  OnTimeout onTimeout = OnTimeout.Halt;
  DrainProgress drain = DrainProgress.NOT_RUNNING;
  boolean healthy = true;
  Instant now = T0.plusSeconds(1);
  GateFacts gates = GateFacts.NONE;
  boolean autoRollback;

  static NodeFactsFixture in(NodeState state) {
    NodeFactsFixture f = new NodeFactsFixture();
    f.state = state;
    return f;
  }

  /** A node in {@code state} that was told to act with {@code action} for the NEW revision. */
  static NodeFactsFixture instructed(NodeState state, NodeAction action) {
    NodeFactsFixture f = in(state);
    f.action = action;
    f.actionId = NEW + "-" + action.name().toLowerCase() + "-0";
    return f;
  }

  NodeFactsFixture agentFinished(ActionState outcome) {
    observed = actionId;
    actionState = outcome;
    return this;
  }

  /** The node's agent reports its host not eligible: another agent would reboot it. */
  NodeFactsFixture hostRefuses() {
    refusal =
        new AgentReport.Refusal(
            "RebootManagerActive", "locksmithd would reboot this node on its own");
    return this;
  }

  /** The node's agent reports that its host's SELinux state differs from the declared one. */
  NodeFactsFixture selinuxDrifted(String... differences) {
    drift = java.util.List.of(differences);
    return this;
  }

  NodeFactsFixture at(Duration elapsed) {
    now = since.plus(elapsed);
    return this;
  }

  NodeFacts build() {
    return new NodeFacts(
        state,
        since,
        reason,
        revision,
        action,
        actionId,
        attempts,
        new AgentReport(
            current,
            staged,
            observed,
            actionState,
            bootBefore,
            rebootPending,
            error,
            refusal,
            drift),
        new NodeView(ready, unschedulable, cordonedByRefit, bootId),
        target,
        granted,
        TIMEOUTS,
        onTimeout,
        drain,
        healthy,
        now,
        gates,
        autoRollback);
  }
}
