package dev.refit.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ActionState;
import dev.refit.api.NodeAction;
import dev.refit.api.NodeState;
import dev.refit.api.OnTimeout;
import dev.refit.operator.lifecycle.NodeFacts.NodeView;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of what can happen around one node — agent reports true or false, reboots,
 * readiness flips, slots granted, drains finishing, time passing, targets changing — fed through
 * the lifecycle as the operator does. Whatever happens, the promises hold.
 */
class LifecyclePropertiesTest {

  /** Something that happens between two reconciliations. */
  enum Event {
    AGENT_STAGES,
    AGENT_FAILS,
    AGENT_APPLIES_AND_REBOOTS,
    AGENT_RESTARTS,
    AGENT_APPLIES_LIVE,
    AGENT_REPORTS_OLD,
    NODE_READY,
    NODE_NOT_READY,
    SLOT,
    NO_SLOT,
    DRAIN_DONE,
    DRAIN_LOST,
    MINUTE_PASSES,
    HOUR_PASSES,
    TARGET_CHANGES,
    HEALTHY,
    UNHEALTHY,
    CHANGE_IS_LIVE,
    CHANGE_NEEDS_REBOOT,
    HOST_REFUSES,
    HOST_FIXED
  }

  @Provide
  Arbitrary<List<Event>> histories() {
    return Arbitraries.of(Event.class).list().ofMinSize(1).ofMaxSize(60);
  }

  @Provide
  Arbitrary<OnTimeout> onTimeouts() {
    return Arbitraries.of(OnTimeout.class);
  }

  @Property(tries = 2000)
  void promisesHoldForAnyHistory(
      @ForAll("histories") List<Event> history, @ForAll("onTimeouts") OnTimeout onTimeout) {
    World w = new World(onTimeout);
    for (Event event : history) {
      w.happen(event);
      NodeFacts facts = w.facts();
      List<Decision> steps = Lifecycle.settle(facts);
      assertThat(steps).isNotEmpty().hasSizeLessThanOrEqualTo(NodeState.values().length);
      NodeState previous = facts.state();
      String previousAction = facts.actionId();
      for (Decision step : steps) {
        checkStep(w, previous, previousAction, step);
        previous = step.state();
        previousAction = step.actionId();
      }
      w.record(steps.get(steps.size() - 1));
      steps.forEach(step -> Statistics.label("outcomes").collect(String.valueOf(step.outcome())));
    }
    Statistics.label("final state").collect(w.state);
    // The random walks must reach the interesting ends, or the promises above prove little.
    Statistics.label("outcomes")
        .coverage(
            c -> {
              c.check("UPDATED").count(n -> n > 0);
              c.check("FAILED").count(n -> n > 0);
            });
  }

  @Property(tries = 500)
  void theSameFactsGiveTheSameDecision(@ForAll("histories") List<Event> history) {
    World w = new World(OnTimeout.Halt);
    for (Event event : history) {
      w.happen(event);
      NodeFacts facts = w.facts();
      assertThat(Lifecycle.settle(facts)).isEqualTo(Lifecycle.settle(facts));
      w.record(Lifecycle.settle(facts).get(Lifecycle.settle(facts).size() - 1));
    }
  }

  private static void checkStep(World w, NodeState from, String fromAction, Decision step) {
    boolean newInstruction = step.actionId() != null && !step.actionId().equals(fromAction);
    // The agent is told to finalize only a drained node, or a change that needs no reboot.
    if (newInstruction && step.action() == NodeAction.Apply) {
      assertThat(from).as("apply issued from").isIn(NodeState.Drained, NodeState.Staged);
      if (from == NodeState.Staged) {
        assertThat(step.state()).isEqualTo(NodeState.Applying);
        assertThat(w.rebootPending).isFalse();
      }
    }
    // A host that refuses is never told to start work, nor cordoned for it.
    if (w.refused && newInstruction) {
      assertThat(step.action()).as("instruction to a refusing host").isEqualTo(NodeAction.None);
    }
    if (w.refused && step.state().cordoned()) {
      assertThat(from.cordoned()).as("cordoned while the host refuses").isTrue();
    }
    // A node is cordoned only after the planner gave it a slot.
    if (step.state().cordoned() && !from.cordoned()) {
      assertThat(from).isEqualTo(NodeState.Staged);
      assertThat(w.granted).as("slot granted").isTrue();
    }
    if (step.state() == NodeState.Applying && from != NodeState.Applying) {
      assertThat(w.granted).as("slot granted for a live change").isTrue();
    }
    // Updated means Ready, healthy, and running the revision the node was moved to.
    if (step.outcome() == Outcome.UPDATED) {
      assertThat(w.ready).isTrue();
      assertThat(w.healthy).isTrue();
      assertThat(w.current).isEqualTo(step.revision());
    }
    // No node is drained twice for one revision.
    if (step.state() == NodeState.Draining && from != NodeState.Draining) {
      assertThat(w.drainedRevisions).as("drained before").doesNotContain(step.revision());
    }
    if (step.state() == NodeState.Drained) {
      w.drainedRevisions.add(step.revision());
    }
    // The revision is the recorded one or the target, nothing else.
    assertThat(step.revision()).isIn(w.revision, w.target);
    // A timeout never fires early.
    if (step.reason() != null
        && step.reason().endsWith("Timeout")
        && step.state() == NodeState.Failed
        && from != NodeState.Failed) {
      assertThat(step.outcome()).isEqualTo(Outcome.FAILED);
    }
    // Refit keeps a cordon only in cordoned states or for a failure after reboot.
    if (step.cordon() == Decision.CordonIntent.CORDONED) {
      assertThat(step.state().cordoned()).isTrue();
    }
  }

  /** The node's world: what the operator recorded, and what the agent and Node show. */
  private static final class World {
    final OnTimeout onTimeout;
    final Set<String> drainedRevisions = new HashSet<>();
    NodeState state = NodeState.Pending;
    Instant since = Instant.parse("2026-11-26T10:00:00Z");
    Instant now = since;
    String reason;
    String revision = "rev-1";
    String target = "rev-1";
    int targets = 1;
    NodeAction action = NodeAction.None;
    String actionId;
    int attempts;
    String current = "rev-0";
    String staged;
    String observed;
    ActionState actionState;
    String bootBefore;
    Boolean rebootPending = true;
    boolean ready = true;
    String bootId = "boot-0";
    int boots;
    boolean granted;
    DrainProgress drain = DrainProgress.NOT_RUNNING;
    boolean healthy = true;
    boolean refused;

    World(OnTimeout onTimeout) {
      this.onTimeout = onTimeout;
    }

    void happen(Event event) {
      switch (event) {
        case AGENT_STAGES -> {
          if (action == NodeAction.Stage) {
            observed = actionId;
            actionState = ActionState.Succeeded;
            staged = revision;
          }
        }
        case AGENT_FAILS -> {
          if (actionId != null) {
            observed = actionId;
            actionState = ActionState.Failed;
          }
        }
        case AGENT_APPLIES_AND_REBOOTS -> {
          if (action == NodeAction.Apply && !Objects.equals(observed, actionId)) {
            observed = actionId;
            actionState = ActionState.Running;
            bootBefore = bootId;
            bootId = "boot-" + (++boots);
            current = staged;
            staged = null;
            ready = false;
          }
        }
        case AGENT_APPLIES_LIVE -> {
          if (action == NodeAction.Apply) {
            observed = actionId;
            actionState = ActionState.Succeeded;
            current = revision;
          }
        }
        case AGENT_RESTARTS -> actionState = actionState == null ? null : ActionState.Running;
        case AGENT_REPORTS_OLD -> current = "rev-0";
        case NODE_READY -> ready = true;
        case NODE_NOT_READY -> ready = false;
        case SLOT -> granted = true;
        case NO_SLOT -> granted = false;
        case DRAIN_DONE -> drain = state == NodeState.Draining ? DrainProgress.DONE : drain;
        case DRAIN_LOST -> drain = DrainProgress.NOT_RUNNING;
        case MINUTE_PASSES -> now = now.plus(Duration.ofMinutes(1));
        case HOUR_PASSES -> now = now.plus(Duration.ofHours(1));
        case TARGET_CHANGES -> target = "rev-" + (++targets);
        case HEALTHY -> healthy = true;
        case UNHEALTHY -> healthy = false;
        case CHANGE_IS_LIVE -> rebootPending = false;
        case CHANGE_NEEDS_REBOOT -> rebootPending = true;
        case HOST_REFUSES -> refused = true;
        case HOST_FIXED -> refused = false;
      }
    }

    NodeFacts facts() {
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
              null,
              refused ? new AgentReport.Refusal("RebootManagerActive", "locksmithd") : null,
              java.util.List.of()),
          new NodeView(ready, false, state.cordoned(), bootId),
          target,
          granted,
          NodeFactsFixture.TIMEOUTS,
          onTimeout,
          drain,
          healthy,
          now,
          GateFacts.NONE,
          false);
    }

    void record(Decision decision) {
      if (decision.state() != NodeState.Draining) {
        drain = DrainProgress.NOT_RUNNING;
      } else if (drain == DrainProgress.NOT_RUNNING) {
        drain = DrainProgress.RUNNING;
      }
      state = decision.state();
      since = decision.since();
      reason = decision.reason();
      revision = decision.revision();
      action = decision.action();
      actionId = decision.actionId();
      attempts = decision.attempts();
    }
  }
}
