package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import dev.refit.api.NodeAction;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import dev.refit.testing.NodeFault;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Nodes that do not come back: timeouts, the failure budget, and the halt. */
class FailureIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private Fleet fleet;

  @BeforeEach
  void fleetOfTwenty() {
    fleet = new Fleet().withNodes("worker", 20, WORKERS);
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  private OSUpdatePolicy policy() {
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().getHealthCheck().setRebootTimeoutSeconds(10);
    policy.getSpec().getHealthCheck().setReadyTimeoutSeconds(5);
    return policy;
  }

  @Test
  void aNodeThatNeverBecomesReadyFailsStaysCordonedAndHaltsTheRollout() {
    fleet.nodes.inject("worker-3", NodeFault.NEVER_READY);
    fleet.startOperator();
    fleet.apply(policy());

    Condition degraded =
        fleet.awaitCondition(
            "workers", "Degraded", "FailureBudgetExhausted", Duration.ofSeconds(60));
    assertThat(degraded.getMessage())
        .startsWith("halted: 1 of 1 allowed failures (worker-3: ReadyTimeout); ")
        .contains(
            "1 node was left behind and needs a person: worker-3 failed (ReadyTimeout): failed"
                + " while Verifying: still not Ready")
        .contains("kept cordoned by Refit: NotReady");
    assertThat(fleet.reason("workers", "Progressing")).isEqualTo("Halted");
    assertThat(fleet.osNode("worker-3").getSpec().getState()).isEqualTo(NodeState.Failed);
    assertThat(fleet.osNode("worker-3").getSpec().getReason()).isEqualTo(NodeReasons.READY_TIMEOUT);
    // the node may be broken: Refit keeps it out of service for a person to look at
    assertThat(fleet.invariants.cordonedByRefitNow()).containsExactly("worker-3");
    assertThat(fleet.policy("workers").getStatus().getProblems())
        .anySatisfy(p -> assertThat(p.getNode()).isEqualTo("worker-3"));
    // No other node starts after the halt. (Nodes go in the order they finish staging, so which
    // ones went before worker-3 varies.)
    Map<String, Integer> cordonsAtHalt = fleet.invariants.refitCordons();
    assertThat(cordonsAtHalt).containsEntry("worker-3", 1);
    fleet.assertForAtLeast(
        Duration.ofSeconds(2),
        "no node cordoned after the halt",
        () -> fleet.invariants.refitCordons().equals(cordonsAtHalt));
    assertThat(
            fleet
                .metricsOfFirstOperator()
                .find("refit.rollout.halted")
                .tag("policy", "workers")
                .gauge()
                .value())
        .isEqualTo(1.0);
    assertThat(fleet.events("workers", e -> "FailureBudgetExhausted".equals(e.getReason())))
        .isNotEmpty();
    assertThat(fleet.events("worker-3", e -> "ReadyTimeout".equals(e.getReason()))).isNotEmpty();
  }

  @Test
  void aNodeThatNeverRebootsIsWithdrawnAndGoesBackIntoServiceOnItsOldOs() {
    fleet.nodes.inject("worker-2", NodeFault.NEVER_REBOOT);
    fleet.startOperator();
    OSUpdatePolicy policy = policy();
    policy.getSpec().getFailurePolicy().setMaxFailedNodes(new IntOrString(2));
    fleet.apply(policy);

    fleet.awaitUntil(
        Duration.ofSeconds(90), () -> "Complete".equals(fleet.reason("workers", "Progressing")));
    assertThat(fleet.osNode("worker-2").getSpec().getState()).isEqualTo(NodeState.Failed);
    assertThat(fleet.osNode("worker-2").getSpec().getReason())
        .isEqualTo(NodeReasons.REBOOT_TIMEOUT);
    // the instruction was withdrawn, the agent settled it, and the node, Ready on its old OS,
    // is back in service: nothing about it may be broken
    assertThat(fleet.osNode("worker-2").getSpec().getAction()).isEqualTo(NodeAction.None);
    fleet.awaitUntil(Duration.ofSeconds(10), () -> fleet.invariants.cordonedByRefitNow().isEmpty());
    assertThat(fleet.osNode("worker-2").getStatus().getLastError().getReason())
        .isEqualTo("InstructionWithdrawn");
    assertThat(fleet.agents.running("worker-2"))
        .isEqualTo(dev.refit.operator.testing.FakeAgents.ORIGINAL);
    // ... and it still needs a person, who is told so though the budget is not spent
    Condition degraded = fleet.condition("workers", "Degraded");
    assertThat(degraded.getReason()).isEqualTo("NodesNeedAttention");
    assertThat(degraded.getMessage())
        .startsWith(
            "1 node was left behind and needs a person: worker-2 failed (RebootTimeout): failed"
                + " while Rebooting: no new boot within 10s")
        .doesNotContain("kept cordoned");
    assertThat(fleet.policy("workers").getStatus().getProblems())
        .anySatisfy(
            p -> {
              assertThat(p.getNode()).isEqualTo("worker-2");
              assertThat(p.getReason()).isEqualTo(NodeReasons.REBOOT_TIMEOUT);
            });
    assertThat(fleet.invariants.violations()).isEmpty();
  }

  @Test
  void failuresAreToleratedUntilTheBudgetIsSpent() {
    fleet.nodes.inject("worker-2", NodeFault.NEVER_REBOOT);
    fleet.nodes.inject("worker-4", NodeFault.NEVER_READY);
    fleet.startOperator();
    OSUpdatePolicy policy = policy();
    policy.getSpec().setMaxUnavailable(new IntOrString(3));
    policy.getSpec().getFailurePolicy().setMaxFailedNodes(new IntOrString(2));
    fleet.apply(policy);

    Condition degraded =
        fleet.awaitCondition(
            "workers", "Degraded", "FailureBudgetExhausted", Duration.ofSeconds(90));
    assertThat(degraded.getMessage())
        .startsWith(
            "halted: 2 of 2 allowed failures (worker-2: RebootTimeout, worker-4: ReadyTimeout); 2"
                + " nodes were left behind and need a person: worker-2 failed (RebootTimeout):"
                + " failed while Rebooting: no new boot within 10s");
    assertThat(fleet.policy("workers").getStatus().getNodes().getFailed()).isEqualTo(2);
    assertThat(fleet.invariants.maxUnavailable()).isLessThanOrEqualTo(3);
    assertThat(fleet.invariants.violations()).isEmpty();
  }
}
