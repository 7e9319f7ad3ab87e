package dev.refit.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeAction;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.PolicyReasons;
import dev.refit.operator.lifecycle.Decision;
import dev.refit.operator.lifecycle.DrainProgress;
import dev.refit.operator.plan.Halt;
import dev.refit.operator.plan.Plan;
import dev.refit.operator.plan.Round;
import dev.refit.operator.testing.Fixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The estimated end of a rollout, from the pace of its own updates so far. */
class EstimateTest {

  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static final Waits.Wait ROLLING_OUT =
      new Waits.Wait(true, PolicyReasons.ROLLING_OUT, "updating w-4 (Draining)");

  private final List<Round.NodeResult> nodes = new ArrayList<>();

  @Test
  void theNodesLeftAreExpectedAtThePaceOfTheUpdatesSoFar() {
    updatedAt(0).updatedAt(120).updatedAt(240).in(NodeState.Draining).in(NodeState.Staged);
    // one update every 2 minutes; two nodes left after the last update at 10:04
    assertThat(Estimate.completion(round(null), ROLLING_OUT)).isEqualTo("2026-12-06T10:08:00Z");
  }

  @Test
  void nodesOnTheTargetBeforeTheRolloutAndNodesLeftBehindSetNoPaceAndAreNotWaitedFor() {
    updatedAt(0).updatedAt(60);
    nodes.add(node(NodeState.UpToDate, null, 30)); // already ran the target
    in(NodeState.Failed).in(NodeState.Skipped).in(NodeState.Staged);

    assertThat(Estimate.completion(round(null), ROLLING_OUT)).isEqualTo("2026-12-06T10:02:00Z");
  }

  @Test
  void thereIsNoEstimateBeforeTwoUpdatesNorWhenHaltedHeldOrDone() {
    updatedAt(0).in(NodeState.Staged);
    assertThat(Estimate.completion(round(null), ROLLING_OUT)).isNull();

    updatedAt(60);
    assertThat(
            Estimate.completion(
                round(new Halt(PolicyReasons.FAILURE_BUDGET_EXHAUSTED, "halted")), ROLLING_OUT))
        .isNull();
    assertThat(
            Estimate.completion(
                round(null), new Waits.Wait(false, PolicyReasons.HELD, "paused by spec")))
        .isNull();

    nodes.removeIf(n -> n.last().state() == NodeState.Staged);
    assertThat(Estimate.completion(round(null), ROLLING_OUT)).isNull();
  }

  private EstimateTest updatedAt(long seconds) {
    nodes.add(node(NodeState.UpToDate, NodeReasons.UPDATED, seconds));
    return this;
  }

  private EstimateTest in(NodeState state) {
    nodes.add(node(state, null, 0));
    return this;
  }

  private Round.NodeResult node(NodeState state, String reason, long seconds) {
    Decision decision =
        new Decision(
            state,
            T0.plusSeconds(seconds),
            reason,
            null,
            "rev",
            NodeAction.None,
            null,
            0,
            false,
            null,
            null,
            null);
    return new Round.NodeResult(
        new Round.NodeInput(
            Fixtures.node("w-" + (nodes.size() + 1), Map.of()),
            null,
            DrainProgress.NOT_RUNNING,
            true),
        null,
        List.of(decision));
  }

  private Round.Result round(Halt halt) {
    Plan plan =
        new Plan(Set.of(), 2, 0, 2, 0, halt, null, List.of(), List.of(), List.of(), null, 0);
    Round.Settings settings =
        Round.Settings.builder("rev", Fixtures.TIMEOUTS).maxUnavailable(2).maxFailed(2).build();
    return new Round.Result(settings, List.copyOf(nodes), plan);
  }
}
