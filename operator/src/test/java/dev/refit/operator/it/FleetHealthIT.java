package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
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
 * failurePolicy.maxUnhealthy: no disruption starts while more of the policy's nodes than it allows
 * are unhealthy on their own (NotReady without Refit's doing, or failed), as Cluster API's
 * MachineHealthCheck stops remediating; the rollout goes on by itself once enough are back.
 */
class FleetHealthIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private final Fleet fleet = new Fleet();

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void tooManyUnhealthyNodesHoldTheRolloutWithTheReasonUntilTheyAreBack() {
    fleet.withNodes("worker", 10, WORKERS);
    fleet.nodes.setReady("worker-8", false);
    fleet.nodes.setReady("worker-9", false);
    fleet.nodes.setReady("worker-10", false);
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().setMaxUnavailable(new IntOrString(4));
    policy.getSpec().getFailurePolicy().setMaxUnhealthy(new IntOrString("20%"));
    fleet.apply(policy);

    Condition held = fleet.awaitCondition("workers", "Progressing", "Held", Duration.ofSeconds(30));
    assertThat(held.getMessage())
        .startsWith(
            "3 of 10 nodes unhealthy (worker-8 (NotReady), worker-9 (NotReady), worker-10"
                + " (NotReady)), more than failurePolicy.maxUnhealthy allows (2)");
    // the seven Ready nodes staged and could start (the NotReady ones may stage too)
    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () ->
            java.util.stream.IntStream.rangeClosed(1, 7)
                .mapToObj(n -> fleet.osNode("worker-" + n))
                .allMatch(o -> o != null && o.getSpec().getState() == NodeState.Staged));
    fleet.assertForAtLeast(
        Duration.ofSeconds(2),
        "no node cordoned while three of ten are unhealthy",
        () -> fleet.invariants.refitCordons().isEmpty());

    fleet.nodes.setReady("worker-10", true);

    fleet.awaitUntil(
        Duration.ofSeconds(60),
        () ->
            fleet.osNodes().stream()
                    .filter(o -> o.getSpec().getState() == NodeState.UpToDate)
                    .count()
                == 8);
    assertThat(fleet.invariants.violations()).isEmpty();
  }
}
