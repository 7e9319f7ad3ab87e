package dev.refit.operator.plan;

import static dev.refit.operator.plan.CanariesTest.NOW;
import static dev.refit.operator.plan.CanariesTest.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeState;
import dev.refit.api.OnTimeout;
import dev.refit.operator.plan.CanariesTest.N;
import dev.refit.operator.plan.HealthQuery.Answer;
import dev.refit.operator.plan.HealthQuery.Verdict;
import dev.refit.operator.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * healthCheck.prometheus in a round: a node starts only on a recent answer with no series; series,
 * an error or no answer yet hold every start, and Prometheus is asked only when a node would start.
 */
class HealthQueryTest {

  private static final Windows.State OPEN = new Windows.State(true, null, null, null);

  private static final List<N> STAGED =
      List.of(new N("w-1", NodeState.Staged), new N("w-2", NodeState.Staged));

  @Test
  void aRecentAnswerWithNoSeriesLetsTheNextNodeStartWithoutAskingAgain() {
    Round.Result round = round(STAGED, answer(NOW.minusSeconds(5), Verdict.CLEAR, "no series"));

    assertThat(round.plan().granted()).containsExactly("w-1");
    assertThat(round.heldByQuery()).isFalse();
    assertThat(round.askQuery()).isFalse();
  }

  @Test
  void withNoAnswerYetNothingStartsAndPrometheusIsAsked() {
    Round.Result round = round(STAGED, new HealthQuery(null));

    assertThat(round.plan().granted()).isEmpty();
    assertThat(round.plan().waiting()).containsExactly("w-1", "w-2");
    assertThat(round.plan().hold())
        .isEqualTo("asking Prometheus (healthCheck.prometheus) before the next node starts");
    assertThat(round.heldByQuery()).isTrue();
    assertThat(round.askQuery()).isTrue();
  }

  @Test
  void aStaleAnswerWithNoSeriesIsAskedAgainBeforeANodeStarts() {
    Round.Result round =
        round(
            STAGED,
            answer(NOW.minus(HealthQuery.FRESH).minusMillis(1), Verdict.CLEAR, "no series"));

    assertThat(round.plan().granted()).isEmpty();
    assertThat(round.askQuery()).isTrue();
  }

  @Test
  void seriesHoldEveryStartNameTheSeriesAndAreAskedAgainWhenTheAnswerIsStale() {
    Instant answered = NOW.minusSeconds(4);
    HealthQuery firing =
        answer(answered, Verdict.SERIES, "1 series (ALERTS{alertname=\"KubeNodeNotReady\"})");
    Round.Result round = round(STAGED, firing);

    assertThat(round.plan().granted()).isEmpty();
    assertThat(round.plan().hold())
        .isEqualTo(
            "healthCheck.prometheus returns 1 series (ALERTS{alertname=\"KubeNodeNotReady\"});"
                + " no node starts until it returns none");
    assertThat(round.askQuery()).as("a recent answer is not asked again").isFalse();
    assertThat(NextWake.of(round, Map.of(), OPEN, NOW))
        .as("woken when the answer is stale")
        .contains(Duration.between(NOW, answered.plus(HealthQuery.FRESH)).plusMillis(10));

    Round.Result later = round(STAGED, firing, answered.plus(HealthQuery.FRESH));
    assertThat(later.askQuery()).isTrue();
    assertThat(later.plan().hold()).as("the last answer still says why").contains("1 series");
    assertThat(NextWake.of(later, Map.of(), OPEN, answered.plus(HealthQuery.FRESH)))
        .as("the answer being asked wakes the policy, no timer spins meanwhile")
        .isEqualTo(Optional.empty());
  }

  @Test
  void anErrorOrTimeoutHoldsEveryStartAndSaysSo() {
    Round.Result round =
        round(
            STAGED,
            answer(
                NOW.minusSeconds(1),
                Verdict.FAILED,
                "no answer within 10 s (healthCheck.prometheus.timeoutSeconds)"));

    assertThat(round.plan().granted()).isEmpty();
    assertThat(round.plan().hold())
        .isEqualTo(
            "healthCheck.prometheus failed: no answer within 10 s"
                + " (healthCheck.prometheus.timeoutSeconds); no node starts until Prometheus"
                + " answers with no series");
  }

  @Test
  void prometheusIsNotAskedWhenNoNodeWouldStart() {
    // the only slot is held by a NotReady node
    List<N> busy =
        List.of(new N("w-1", NodeState.UpToDate, null, NOW, false), new N("w-2", NodeState.Staged));
    Round.Result round = round(busy, new HealthQuery(null));

    assertThat(round.plan().granted()).isEmpty();
    assertThat(round.heldByQuery()).isFalse();
    assertThat(round.askQuery()).isFalse();
    assertThat(round.plan().waiting()).containsExactly("w-2");
  }

  @Test
  void aNodeAlreadyInFlightGoesOnWhateverThePrometheusAnswer() {
    List<N> fleet = List.of(new N("w-1", NodeState.Rebooting), new N("w-2", NodeState.Staged));
    HealthQuery firing = answer(NOW.minusSeconds(1), Verdict.SERIES, "1 series (up{})");

    Round.Result round = round(fleet, firing, NOW, 2);

    assertThat(round.nodes().get(0).last().state()).isEqualTo(NodeState.Rebooting);
    assertThat(round.plan().granted()).isEmpty();
    assertThat(round.heldByQuery()).isTrue();
  }

  private static HealthQuery answer(Instant at, Verdict verdict, String detail) {
    return new HealthQuery(new Answer(at, verdict, detail));
  }

  private static Round.Result round(List<N> fleet, HealthQuery query) {
    return round(fleet, query, NOW);
  }

  private static Round.Result round(List<N> fleet, HealthQuery query, Instant now) {
    return round(fleet, query, now, 1);
  }

  private static Round.Result round(
      List<N> fleet, HealthQuery query, Instant now, int maxUnavailable) {
    Round.Settings settings =
        Round.Settings.builder(TARGET, Fixtures.TIMEOUTS)
            .onTimeout(OnTimeout.Skip)
            .maxUnavailable(maxUnavailable)
            .healthQuery(query)
            .build();
    return Round.round(settings, CanariesTest.inputs(fleet, Map.of()), now);
  }
}
