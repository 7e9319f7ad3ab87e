package dev.refit.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.RefitApi;
import dev.refit.operator.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which changes of a policy's conditions a person hears about as Events, and which not. */
class PolicyNoticesTest {

  private static final OSUpdatePolicy POLICY = Fixtures.policy("fleet", Map.of(), "42.1");

  private static final Condition CALM =
      condition(RefitApi.DEGRADED, false, "NoProblems", "nothing needs attention");
  private static final Condition BUDGET =
      condition(RefitApi.DEGRADED, true, "FailureBudgetExhausted", "halted: 1 of 1 failures");
  private static final Condition CONFLICT =
      condition(RefitApi.DEGRADED, true, "NodeConflict", "1 node is also selected");
  private static final Condition ONE_LEFT =
      condition(RefitApi.DEGRADED, true, "NodesNeedAttention", "1 node was left behind: w-3");
  private static final Condition TWO_LEFT =
      condition(
          RefitApi.DEGRADED, true, "NodesNeedAttention", "2 nodes were left behind: w-3, w-7");
  private static final Condition ROLLING =
      condition(RefitApi.PROGRESSING, true, "RollingOut", "updating w-1");
  private static final Condition BLOCKED =
      condition(RefitApi.PROGRESSING, true, "DrainBlocked", "drain of w-1 blocked by pdb web");
  private static final Condition ASKING =
      condition(RefitApi.PROGRESSING, true, "HealthQuery", "asking Prometheus");
  private static final Condition FIRING =
      condition(RefitApi.PROGRESSING, false, "HealthQuery", "returns 1 series (ALERTS{})");
  private static final Condition PENDING =
      condition(RefitApi.READY, false, "UpdatesPending", "1 of 2 nodes run 42.1");
  private static final Condition DONE =
      condition(RefitApi.READY, true, "AllNodesUpdated", "all 2 nodes run 42.1");

  static Stream<Arguments> changes() {
    return Stream.of(
        Arguments.of(
            "nothing changed",
            status(CALM, ROLLING, PENDING),
            status(CALM, ROLLING, PENDING),
            List.of()),
        Arguments.of(
            "a first status that is already degraded warns",
            null,
            status(BUDGET, ROLLING, PENDING),
            List.of("Warning FailureBudgetExhausted halted: 1 of 1 failures")),
        Arguments.of(
            "becoming degraded warns",
            status(CALM, ROLLING, PENDING),
            status(BUDGET, ROLLING, PENDING),
            List.of("Warning FailureBudgetExhausted halted: 1 of 1 failures")),
        Arguments.of(
            "staying degraded for the same reason does not warn again",
            status(BUDGET, ROLLING, PENDING),
            status(BUDGET, ROLLING, PENDING),
            List.of()),
        Arguments.of(
            "degraded for a new reason warns again",
            status(BUDGET, ROLLING, PENDING),
            status(CONFLICT, ROLLING, PENDING),
            List.of("Warning NodeConflict 1 node is also selected")),
        Arguments.of(
            "a node left behind warns",
            status(CALM, ROLLING, PENDING),
            status(ONE_LEFT, ROLLING, PENDING),
            List.of("Warning NodesNeedAttention 1 node was left behind: w-3")),
        Arguments.of(
            "the same nodes left behind are told once",
            status(ONE_LEFT, ROLLING, PENDING),
            status(ONE_LEFT, ROLLING, PENDING),
            List.of()),
        Arguments.of(
            "another node left behind is told",
            status(ONE_LEFT, ROLLING, PENDING),
            status(TWO_LEFT, ROLLING, PENDING),
            List.of("Warning NodesNeedAttention 2 nodes were left behind: w-3, w-7")),
        Arguments.of(
            "a drain becoming blocked warns once",
            status(CALM, ROLLING, PENDING),
            status(CALM, BLOCKED, PENDING),
            List.of("Warning DrainBlocked drain of w-1 blocked by pdb web")),
        Arguments.of(
            "a drain staying blocked is not repeated",
            status(CALM, BLOCKED, PENDING),
            status(CALM, BLOCKED, PENDING),
            List.of()),
        Arguments.of(
            "asking Prometheus is not told",
            status(CALM, ROLLING, PENDING),
            status(CALM, ASKING, PENDING),
            List.of()),
        Arguments.of(
            "the Prometheus query starting to hold the rollout warns",
            status(CALM, ASKING, PENDING),
            status(CALM, FIRING, PENDING),
            List.of("Warning HealthQuery returns 1 series (ALERTS{})")),
        Arguments.of(
            "the Prometheus query still holding the rollout is not repeated",
            status(CALM, FIRING, PENDING),
            status(CALM, FIRING, PENDING),
            List.of()),
        Arguments.of(
            "the rollout completing is told",
            status(CALM, ROLLING, PENDING),
            status(CALM, ROLLING, DONE),
            List.of("Normal RolloutComplete all 2 nodes run 42.1")),
        Arguments.of(
            "staying complete is not told again",
            status(CALM, ROLLING, DONE),
            status(CALM, ROLLING, DONE),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void aChangeOfConditionsMeansTheseEvents(
      String description,
      OSUpdatePolicyStatus before,
      OSUpdatePolicyStatus after,
      List<String> expected) {
    List<String> events = new ArrayList<>();
    for (Notice notice : PolicyNotices.transitions(POLICY, before, after)) {
      assertThat(notice.about()).isSameAs(POLICY);
      events.add(notice.type() + " " + notice.reason() + " " + notice.message());
    }
    assertThat(events).containsExactlyElementsOf(expected);
  }

  private static Condition condition(String type, boolean status, String reason, String message) {
    return new Condition(
        type, status ? Condition.Status.True : Condition.Status.False, reason, message, 1L);
  }

  private static OSUpdatePolicyStatus status(Condition... conditions) {
    OSUpdatePolicyStatus status = new OSUpdatePolicyStatus();
    status.setConditions(new ArrayList<>(List.of(conditions)));
    return status;
  }
}
