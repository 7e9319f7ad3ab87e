package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import dev.refit.operator.testing.RunningOperator;
import dev.refit.testing.Workload;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator stopped mid-rollout (closed, as on a lost lease or a rolling upgrade) and another
 * one taking over: everything it needs is in the API, so the next one finishes the rollout with no
 * node drained or rebooted twice and none left cordoned. An operator killed without a chance to
 * stop (SIGKILL of its process, at random moments) is the chaos suite's part: {@code ChaosIT} in
 * the simulator and docs/reliability.md.
 */
class RestartIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private Fleet fleet;

  @BeforeEach
  void fleetOfTwenty() {
    fleet = new Fleet().withNodes("worker", 20, WORKERS);
    // drains that take a moment: each eviction waits for the previous replacement to be Ready
    fleet.workloads.define(
        Workload.named("api")
            .inNamespace("shop")
            .withReplicas(6)
            .withBudget(Workload.Budget.minAvailable(5))
            .withStartDelayMillis(300)
            .withTerminationGraceSeconds(5));
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  private boolean anyIn(NodeState state) {
    return fleet.osNodes().stream().map(OSNode::getSpec).anyMatch(s -> s.getState() == state);
  }

  private int cordons() {
    return fleet.invariants.refitCordons().values().stream().mapToInt(i -> i).sum();
  }

  @Test
  void anOperatorStoppedAtAnyPointIsSucceededByOneThatFinishesSafely() {
    RunningOperator first = fleet.startOperator();
    fleet.apply(Fixtures.policy("workers", WORKERS, "41.20250101.3.0"));

    fleet.awaitUntil(Duration.ofSeconds(30), () -> cordons() >= 1);
    first.close(); // right after a cordon
    RunningOperator second = fleet.startOperator();
    fleet.awaitUntil(Duration.ofSeconds(30), () -> anyIn(NodeState.Draining) && cordons() >= 2);
    second.close(); // mid-drain
    RunningOperator third = fleet.startOperator();
    fleet.awaitUntil(Duration.ofSeconds(30), () -> anyIn(NodeState.Rebooting));
    third.close(); // mid-reboot
    RunningOperator fourth = fleet.startOperator();
    fleet.awaitUntil(Duration.ofSeconds(30), () -> anyIn(NodeState.Verifying));
    fourth.close(); // mid-verification
    fleet.startOperator();

    fleet.awaitRolledOut("workers", Duration.ofSeconds(120));
    assertThat(fleet.invariants.refitCordons())
        .hasSize(20)
        .allSatisfy((n, c) -> assertThat(c).as(n).isOne());
    assertThat(fleet.invariants.reboots())
        .hasSize(20)
        .allSatisfy((n, c) -> assertThat(c).as(n).isOne());
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(1);
    // the last node's uncordon may have met an injected error: it is retried
    fleet.awaitUntil(Duration.ofSeconds(30), () -> fleet.invariants.cordonedByRefitNow().isEmpty());
    assertThat(fleet.api.pdbViolations()).isEmpty();
  }

  @Test
  void twoReplicasElectALeaderAndTheOtherFinishesWhenItGoes() {
    RunningOperator a = fleet.startElectedOperator("replica-a");
    RunningOperator b = fleet.startElectedOperator("replica-b");
    fleet.apply(Fixtures.policy("workers", WORKERS, "41.20250101.3.0"));
    fleet.awaitUntil(
        Duration.ofSeconds(60),
        () ->
            fleet.policy("workers").getStatus() != null
                && fleet.policy("workers").getStatus().getNodes() != null
                && fleet.policy("workers").getStatus().getNodes().getUpdated() >= 4);

    String leader = holder();
    assertThat(leader).isIn("replica-a", "replica-b");
    (leader.equals("replica-a") ? a : b).close();

    fleet.awaitRolledOut("workers", Duration.ofSeconds(120));
    assertThat(holder()).isNotEqualTo(leader);
    assertThat(fleet.invariants.refitCordons())
        .hasSize(20)
        .allSatisfy((n, c) -> assertThat(c).as(n).isOne());
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(1);
    assertThat(fleet.invariants.cordonedByRefitNow()).isEmpty();
  }

  @Test
  void apiErrorsSlowTheRolloutButBreakNoPromise() {
    fleet.api.faults().failRandomly(0.05, "refit-operator");
    fleet.startOperator();
    fleet.apply(Fixtures.policy("workers", WORKERS, "41.20250101.3.0"));

    fleet.awaitRolledOut("workers", Duration.ofSeconds(150));
    assertThat(fleet.api.faults().injected()).isPositive();
    assertThat(fleet.invariants.refitCordons())
        .hasSize(20)
        .allSatisfy((n, c) -> assertThat(c).as(n).isOne());
    assertThat(fleet.invariants.reboots()).allSatisfy((n, c) -> assertThat(c).as(n).isOne());
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(1);
    // the last node's uncordon may have met an injected error: it is retried
    fleet.awaitUntil(Duration.ofSeconds(30), () -> fleet.invariants.cordonedByRefitNow().isEmpty());
    assertThat(fleet.api.pdbViolations()).isEmpty();
  }

  private String holder() {
    Lease lease =
        fleet
            .client()
            .leases()
            .inNamespace(RunningOperator.LEASE_NAMESPACE)
            .withName("refit-operator")
            .get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
