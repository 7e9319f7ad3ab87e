package dev.refit.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** refit_operator_leader says whether this replica is the one that acts. */
class LeaderMetricsTest {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final LeaderMetrics leader = new LeaderMetrics(registry);

  @Test
  void aReplicaReadsZeroUntilItTakesTheLeaseAndZeroAgainWhenItLosesIt() {
    assertThat(value()).isZero();

    leader.callbacks().onStartLeading();
    assertThat(value()).isEqualTo(1);

    leader.callbacks().onStopLeading();
    assertThat(value()).isZero();
  }

  @Test
  void anotherReplicaTakingTheLeadDoesNotMakeThisOneALeader() {
    leader.callbacks().onNewLeader("refit-operator-7d9f-2");

    assertThat(value()).isZero();
  }

  @Test
  void withoutLeaderElectionTheProcessReadsAsTheLeader() {
    leader.electionOff();

    assertThat(value()).isEqualTo(1);
  }

  private double value() {
    return registry.get("refit.operator.leader").gauge().value();
  }
}
