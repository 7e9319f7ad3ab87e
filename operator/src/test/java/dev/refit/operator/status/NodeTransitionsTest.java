package dev.refit.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeAction;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OnTimeout;
import dev.refit.operator.lifecycle.AgentReport;
import dev.refit.operator.lifecycle.Decision;
import dev.refit.operator.lifecycle.DrainProgress;
import dev.refit.operator.lifecycle.GateFacts;
import dev.refit.operator.lifecycle.NodeFacts;
import dev.refit.operator.lifecycle.NodeFacts.NodeView;
import dev.refit.operator.lifecycle.NodeFacts.Timeouts;
import dev.refit.operator.lifecycle.Outcome;
import dev.refit.operator.plan.Round;
import dev.refit.operator.status.Notice.Type;
import dev.refit.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which Events, phase times and outcomes each kind of round of one node means. */
class NodeTransitionsTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final OSUpdatePolicy POLICY = Fixtures.policy("fleet", Map.of(), "42.1");
  private static final Node NODE = Fixtures.node("w-1", Map.of());

  /** A step into {@code state}, {@code seconds} after T0. */
  private static Decision step(NodeState state, long seconds) {
    return new Decision(
        state,
        T0.plusSeconds(seconds),
        null,
        null,
        "rev",
        NodeAction.None,
        null,
        0,
        false,
        null,
        null,
        null);
  }

  static Stream<Arguments> rounds() {
    return Stream.of(
        Arguments.of(
            "a node that stays where it is records nothing",
            NodeState.Draining,
            List.of(step(NodeState.Draining, 0)),
            List.of()),
        Arguments.of(
            "a node given a slot is cordoned and starts draining: the cordon is the act layer's",
            NodeState.Staged,
            List.of(step(NodeState.Cordoned, 5), step(NodeState.Draining, 5)),
            List.of()),
        Arguments.of(
            "a finished drain that waits is Drained",
            NodeState.Draining,
            List.of(step(NodeState.Drained, 60)),
            List.of("Normal Drained all pods that must leave are gone")),
        Arguments.of(
            "a drain handed straight to the reboot is one Event, not two",
            NodeState.Draining,
            List.of(step(NodeState.Drained, 60), step(NodeState.Rebooting, 60)),
            List.of("Normal Rebooting drained; told to apply 42.1 and reboot")),
        Arguments.of(
            "a live change says so",
            NodeState.Drained,
            List.of(step(NodeState.Applying, 10)),
            List.of("Normal Applying told to apply 42.1 live")),
        Arguments.of(
            "a verified node is Updated",
            NodeState.Verifying,
            List.of(
                step(NodeState.UpToDate, 90)
                    .withReason(NodeReasons.UPDATED, null)
                    .withOutcome(Outcome.UPDATED)),
            List.of("Normal Updated now runs 42.1; uncordoned")),
        Arguments.of(
            "a failure warns on the node and on the policy, naming the node there",
            NodeState.Rebooting,
            List.of(
                step(NodeState.Failed, 900)
                    .withReason(NodeReasons.REBOOT_TIMEOUT, "no reboot within 900s")
                    .withOutcome(Outcome.FAILED)),
            List.of(
                "Warning RebootTimeout no reboot within 900s",
                "Warning RebootTimeout w-1: no reboot within 900s")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rounds")
  void eachRoundMeansTheseEvents(
      String description, NodeState from, List<Decision> steps, List<String> expected) {
    NodeTransitions transitions = NodeTransitions.of(POLICY, result(from, steps));

    List<String> events = new ArrayList<>();
    for (Notice notice : transitions.notices()) {
      events.add(notice.type() + " " + notice.reason() + " " + notice.message());
    }
    assertThat(events).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rounds")
  void everyStateLeftIsTimedAndEveryEndingCounted(
      String description, NodeState from, List<Decision> steps, List<String> expected) {
    NodeTransitions transitions = NodeTransitions.of(POLICY, result(from, steps));

    List<NodeState> left = new ArrayList<>();
    NodeState previous = from;
    for (Decision step : steps) {
      if (step.state() != previous) {
        left.add(previous);
        previous = step.state();
      }
    }
    assertThat(transitions.phases()).extracting(NodeTransitions.PhaseTime::left).isEqualTo(left);
    assertThat(transitions.outcomes())
        .containsExactlyElementsOf(
            steps.stream().map(Decision::outcome).filter(o -> o != null).toList());
  }

  @org.junit.jupiter.api.Test
  void aPhaseTakesFromEnteringItToLeavingIt() {
    NodeTransitions transitions =
        NodeTransitions.of(
            POLICY, result(NodeState.Draining, List.of(step(NodeState.Drained, 75))));

    assertThat(transitions.phases())
        .containsExactly(new NodeTransitions.PhaseTime(NodeState.Draining, Duration.ofSeconds(75)));
  }

  @org.junit.jupiter.api.Test
  void anUncordonAfterASuccessfulUpdateIsNotASecondEvent() {
    Decision updated = step(NodeState.UpToDate, 90).withOutcome(Outcome.UPDATED);
    Decision skipped = step(NodeState.Skipped, 90).withOutcome(Outcome.SKIPPED);

    assertThat(NodeTransitions.uncordoned(NODE, POLICY, updated)).isEmpty();
    assertThat(NodeTransitions.uncordoned(NODE, POLICY, skipped))
        .extracting(Notice::type, Notice::reason, Notice::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Type.Normal, "Uncordoned", "uncordoned by policy fleet"));
  }

  private static Round.NodeResult result(NodeState from, List<Decision> steps) {
    NodeFacts facts =
        new NodeFacts(
            from,
            T0,
            null,
            "rev",
            NodeAction.None,
            null,
            0,
            AgentReport.NONE,
            new NodeView(true, false, false, "boot-1"),
            "rev",
            false,
            new Timeouts(
                Duration.ofMinutes(60),
                Duration.ofMinutes(10),
                Duration.ofMinutes(15),
                Duration.ofMinutes(10)),
            OnTimeout.Halt,
            DrainProgress.NOT_RUNNING,
            true,
            T0,
            GateFacts.NONE,
            false);
    return new Round.NodeResult(
        new Round.NodeInput(NODE, null, DrainProgress.NOT_RUNNING, true), facts, steps);
  }
}
