package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Chaos seed 40: a node's start was recorded on its OSNode (Draining) but Refit's cordon never
 * landed (its write failed), and a person cordoned the node before the round was retried. The node
 * is cordoned by someone else: Refit must take its start back, not drain and reboot it under the
 * person's cordon.
 */
class UnlandedStartIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private Fleet fleet;

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void aStartWhoseCordonNeverLandedIsTakenBackWhenAPersonCordonsTheNode() {
    fleet = new Fleet().withNodes("w", 3, WORKERS);
    // the operator's cordon of w-1 is refused (as a streak of 5xx outlasting its retries would be)
    fleet.api.forbid(
        r ->
            r.userAgent() != null
                && r.userAgent().startsWith("refit-operator")
                && r.resource().equals("nodes")
                && "w-1".equals(r.name())
                && r.method().equals("PATCH")
                && r.body().contains("\"unschedulable\":true"));
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().setMaxUnavailable(new IntOrString(3));
    fleet.applyPausedUntilStaged(policy, 3);
    String bootBefore =
        fleet.client().nodes().withName("w-1").get().getStatus().getNodeInfo().getBootID();
    fleet.resume("workers");

    // w-1's OSNode records its start; its cordon is refused
    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () -> {
          NodeState state = fleet.osNode("w-1").getSpec().getState();
          return (state == NodeState.Cordoned || state == NodeState.Draining)
              && fleet.condition("workers", "Progressing") != null
              && fleet.condition("workers", "Progressing").getMessage().contains("refused");
        });
    // a person cordons w-1 before the round is retried, and the API accepts writes again
    fleet.cordonByPerson("w-1");
    fleet.api.forbid(null);

    fleet.awaitUntil(
        Duration.ofSeconds(60),
        () ->
            fleet.osNode("w-2").getSpec().getState() == NodeState.UpToDate
                && fleet.osNode("w-3").getSpec().getState() == NodeState.UpToDate);
    assertThat(fleet.invariants.violations()).isEmpty();
    fleet.assertForAtLeast(
        Duration.ofSeconds(3),
        "w-1, cordoned by a person, is not started",
        () -> fleet.osNode("w-1").getSpec().getState() == NodeState.Staged);
    assertThat(fleet.client().nodes().withName("w-1").get().getStatus().getNodeInfo().getBootID())
        .isEqualTo(bootBefore);
  }
}
