package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.operator.testing.FakeAgents;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * failurePolicy.autoRollback: a node that boots the target but is not Ready in time is told to roll
 * back, reboots into the OS it ran before, is verified there and goes back into service, reported
 * as rolled back and counted against the failure budget. A host that cannot roll back is reported
 * as such and keeps Refit's cordon.
 */
class RollbackIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private final Fleet fleet = new Fleet();

  @AfterEach
  void stop() {
    fleet.close();
  }

  private OSUpdatePolicy policy(int maxFailed) {
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().getHealthCheck().setRebootTimeoutSeconds(10);
    policy.getSpec().getHealthCheck().setReadyTimeoutSeconds(5);
    policy.getSpec().getFailurePolicy().setAutoRollback(true);
    policy.getSpec().getFailurePolicy().setMaxFailedNodes(new IntOrString(maxFailed));
    return policy;
  }

  @Test
  void aNodeThatNeverTurnsReadyOnTheNewOsIsRolledBackVerifiedAndBackInService() {
    fleet.withNodes("worker", 3, WORKERS);
    fleet.agents.badUpdate("worker-2");
    fleet.startOperator();
    fleet.apply(policy(2));

    fleet.awaitUntil(
        Duration.ofSeconds(60),
        () ->
            fleet.osNode("worker-2") != null
                && fleet.osNode("worker-2").getSpec().getState() == NodeState.RollingBack);
    assertThat(fleet.osNode("worker-2").getSpec().getMessage())
        .contains("still not Ready 5s after its update")
        .endsWith("; rolling back to the deployment it booted before");
    assertThat(fleet.invariants.cordonedByRefitNow()).contains("worker-2");

    fleet.awaitUntil(
        Duration.ofSeconds(60),
        () -> NodeReasons.ROLLED_BACK.equals(fleet.osNode("worker-2").getSpec().getReason()));
    OSNode rolledBack = fleet.osNode("worker-2");
    assertThat(rolledBack.getSpec().getState()).isEqualTo(NodeState.Failed);
    assertThat(rolledBack.getSpec().getMessage())
        .startsWith(
            "failed its verification on the target (ReadyTimeout) and was rolled back to revision "
                + FakeAgents.ORIGINAL
                + "; back in service");
    assertThat(fleet.agents.running("worker-2")).isEqualTo(FakeAgents.ORIGINAL);

    fleet.awaitCondition("workers", "Progressing", "Complete", Duration.ofSeconds(60));
    assertThat(fleet.reason("workers", "Degraded")).isEqualTo("NodesNeedAttention");
    assertThat(fleet.condition("workers", "Degraded").getMessage())
        .contains("worker-2 failed (RolledBack)");
    assertThat(fleet.invariants.cordonedByRefitNow()).as("back in service").isEmpty();
    assertThat(fleet.osNodes().stream().filter(o -> o.getSpec().getState() == NodeState.UpToDate))
        .hasSize(2);
    assertThat(fleet.events("worker-2", e -> NodeReasons.ROLLED_BACK.equals(e.getReason())))
        .isNotEmpty();
    assertThat(fleet.invariants.violations()).isEmpty();
  }

  @Test
  void aHostThatCannotRollBackIsReportedAndKeepsRefitsCordon() {
    fleet.withNodes("worker", 2, WORKERS);
    fleet.agents.badUpdate("worker-1").badUpdate("worker-2");
    fleet.agents.cannotRollBack("worker-1").cannotRollBack("worker-2");
    fleet.startOperator();
    fleet.apply(policy(1));

    fleet.awaitCondition("workers", "Degraded", "FailureBudgetExhausted", Duration.ofSeconds(60));
    OSNode failed =
        fleet.osNodes().stream()
            .filter(o -> o.getSpec().getState() == NodeState.Failed)
            .findFirst()
            .orElseThrow();
    assertThat(failed.getSpec().getReason()).isEqualTo(NodeReasons.ROLLBACK_FAILED);
    assertThat(failed.getSpec().getMessage())
        .contains("rolling back failed: ")
        .contains("no rollback deployment");
    fleet.assertForAtLeast(
        Duration.ofSeconds(2),
        "the failed node keeps Refit's cordon and no other node starts",
        () ->
            fleet.invariants.cordonedByRefitNow().equals(List.of(failed.getMetadata().getName()))
                && fleet.invariants.cordonOrder().size() == 1);
    assertThat(fleet.invariants.violations()).isEmpty();
  }
}
