package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.PolicyReasons;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import dev.refit.testing.Workload;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Chaos seeds 55 and 69: the reads a start needs (the budgets protecting the next node's pods) went
 * unanswered round after round, and each failure threw the whole round away, so nodes already under
 * way stopped too and were left cordoned. An unanswered read now holds only the starts.
 */
class UnansweredReadIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private Fleet fleet;

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void aNodeUnderWayFinishesWhileTheNextStartsReadsGoUnanswered() {
    Map<String, String> shopNodes = new HashMap<>(WORKERS);
    shopNodes.put("shop", "yes");
    fleet = new Fleet().withNodes("w", 2, WORKERS).withNodes("x", 2, shopNodes);
    // pods only on the x nodes: only their starts read the budgets of namespace shop
    fleet.workloads.define(
        Workload.named("web")
            .inNamespace("shop")
            .withReplicas(2)
            .withNodeSelector(Map.of("shop", "yes")));
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().setMaxUnavailable(new IntOrString(2));
    fleet.applyPausedUntilStaged(policy, 4);
    // w-2's agent goes quiet: its node will wait in its reboot while w-1 finishes
    fleet.agents.silence("w-2");
    // the operator's reads of budgets are refused from now on (as a role without them would be)
    fleet.api.forbid(
        r ->
            r.userAgent() != null
                && r.userAgent().startsWith("refit-operator")
                && r.resource().equals("poddisruptionbudgets")
                && r.method().equals("GET"));
    fleet.resume("workers");

    // w-1 is done; the round that would start x-1 cannot read its budgets and holds the starts
    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () ->
            fleet.osNode("w-1").getSpec().getState() == NodeState.UpToDate
                && fleet.osNode("w-2").getSpec().getState() == NodeState.Rebooting
                && fleet.condition("workers", "Progressing") != null
                && fleet
                    .condition("workers", "Progressing")
                    .getMessage()
                    .contains("the API server did not answer a read of the budgets"));
    // w-2's agent is back: its node goes on to the end while x-1's reads still fail
    fleet.agents.speak("w-2");
    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () -> fleet.osNode("w-2").getSpec().getState() == NodeState.UpToDate);
    assertThat(fleet.osNode("x-1").getSpec().getState()).isEqualTo(NodeState.Staged);
    assertThat(fleet.osNode("x-2").getSpec().getState()).isEqualTo(NodeState.Staged);
    assertThat(fleet.client().nodes().withName("w-2").get().getSpec().getUnschedulable())
        .isNotEqualTo(Boolean.TRUE);
    // nothing under way: the policy says what it waits for, and that it goes on by itself
    fleet.awaitCondition(
        "workers", "Progressing", PolicyReasons.WAITING_FOR_API_SERVER, Duration.ofSeconds(10));
    assertThat(fleet.condition("workers", "Progressing").getStatus())
        .isEqualTo(Condition.Status.True);
    assertThat(fleet.condition("workers", "Progressing").getMessage())
        .contains("GET /apis/policy/v1/namespaces/shop/poddisruptionbudgets: 403");

    // the budgets can be read again: the rollout ends
    fleet.api.forbid(null);
    fleet.awaitRolledOut("workers", Duration.ofSeconds(60));
    assertThat(fleet.invariants.violations()).isEmpty();
  }
}
