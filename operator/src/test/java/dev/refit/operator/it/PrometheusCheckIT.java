package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.PolicyReasons;
import dev.refit.api.PrometheusCheck;
import dev.refit.operator.testing.FakePrometheus;
import dev.refit.operator.testing.FakePrometheus.Answer;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * healthCheck.prometheus against a server that speaks Prometheus' query API: no node starts while
 * the query returns series, fails or times out; the policy says why (Progressing HealthQuery and an
 * Event) and goes on by itself once the query returns no series. Prometheus is asked only when a
 * node would start.
 */
class PrometheusCheckIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private static final String QUERY = "ALERTS{alertstate=\"firing\",severity=\"critical\"}";

  private final Fleet fleet = new Fleet();
  private final FakePrometheus prometheus = new FakePrometheus();

  @AfterEach
  void stop() {
    fleet.close();
    prometheus.close();
  }

  private OSUpdatePolicy policy(int timeoutSeconds) {
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    PrometheusCheck check = new PrometheusCheck();
    check.setUrl(prometheus.url());
    check.setQuery(QUERY);
    check.setTimeoutSeconds(timeoutSeconds);
    policy.getSpec().getHealthCheck().setPrometheus(check);
    return policy;
  }

  /** The Progressing condition once an answer of the query holds the rollout. */
  private Condition awaitHeldByTheQuery() {
    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () -> {
          Condition progressing = fleet.condition("workers", "Progressing");
          return progressing != null
              && PolicyReasons.HEALTH_QUERY.equals(progressing.getReason())
              && !progressing.isTrue();
        });
    return fleet.condition("workers", "Progressing");
  }

  @Test
  void firingAlertsHoldEveryStartAndTheRolloutGoesOnByItselfOnceTheyClear() {
    fleet.withNodes("worker", 3, WORKERS);
    fleet.startOperator();
    prometheus.answer(Answer.firing("KubeNodeNotReady", "EtcdNoLeader"));
    fleet.applyPausedUntilStaged(policy(5), 3);
    fleet.assertForAtLeast(
        Duration.ofSeconds(2),
        "Prometheus is not asked while no node could start (paused)",
        () -> prometheus.queries().isEmpty());

    fleet.resume("workers");
    Condition held = awaitHeldByTheQuery();
    assertThat(held.getMessage())
        .startsWith(
            "healthCheck.prometheus returns 2 series"
                + " (ALERTS{alertname=\"KubeNodeNotReady\", alertstate=\"firing\"},"
                + " ALERTS{alertname=\"EtcdNoLeader\", alertstate=\"firing\"});"
                + " no node starts until it returns none");
    assertThat(prometheus.queries()).first().isEqualTo(QUERY);
    fleet.awaitUntil(
        Duration.ofSeconds(10),
        () ->
            !fleet
                .events("workers", e -> PolicyReasons.HEALTH_QUERY.equals(e.getReason()))
                .isEmpty());
    fleet.assertForAtLeast(
        Duration.ofSeconds(3),
        "no node is disrupted while the alerts fire",
        () -> fleet.invariants.cordonOrder().isEmpty());

    prometheus.answer(Answer.noSeries());
    fleet.awaitRolledOut("workers", Duration.ofSeconds(120));
    assertThat(fleet.invariants.cordonOrder()).hasSize(3);
    assertThat(fleet.invariants.violations()).isEmpty();
  }

  @Test
  void aQueryErrorOrATimeoutHoldsTheRolloutAndSaysWhy() {
    fleet.withNodes("worker", 2, WORKERS);
    fleet.startOperator();
    prometheus.answer(Answer.error("1:7: parse error: unexpected end of input"));
    fleet.apply(policy(1));

    Condition failed = awaitHeldByTheQuery();
    assertThat(failed.getMessage())
        .startsWith(
            "healthCheck.prometheus failed: HTTP 400, bad_data: 1:7: parse error: unexpected end"
                + " of input; no node starts until Prometheus answers with no series");

    prometheus.answer(Answer.slow(3_000));
    fleet.awaitUntil(
        Duration.ofSeconds(40),
        () ->
            fleet
                .condition("workers", "Progressing")
                .getMessage()
                .startsWith(
                    "healthCheck.prometheus failed: no answer within 1 s"
                        + " (healthCheck.prometheus.timeoutSeconds)"));
    assertThat(fleet.invariants.cordonOrder()).isEmpty();
    assertThat(fleet.invariants.violations()).isEmpty();
  }
}
