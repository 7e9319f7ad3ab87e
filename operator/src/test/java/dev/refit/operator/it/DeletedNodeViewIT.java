package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.OSUpdatePolicy;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Chaos seed 100: a person narrowed the policy's selector and a node was deleted a second before a
 * round that still saw the deleted node. With {@code maxUnavailable: 21%} its view of 29 nodes
 * allowed 6 out of service; the server's 28 allowed 5, and Refit took the sixth. The Nodes a round
 * confirms with the server before a start must be the same nodes, not only equally available.
 */
class DeletedNodeViewIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private Fleet fleet;

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void aPercentageIsTakenOfTheNodesTheServerHasNotOfACacheThatMissedADeletion() {
    fleet = new Fleet().withNodes("worker", 10, WORKERS);
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    // 20 % of 10 nodes is 2; of 8, it is 1
    policy.getSpec().setMaxUnavailable(new IntOrString("20%"));
    fleet.applyPausedUntilStaged(policy, 10);

    // the operator's Node cache stops here: it will not see the two deletions
    fleet.api.severWatches("refit-operator", "nodes");
    fleet.nodes.remove("worker-9");
    fleet.nodes.remove("worker-10");
    fleet.awaitUntil(
        Duration.ofSeconds(10), () -> fleet.client().nodes().list().getItems().size() == 8);
    fleet.resume("workers");

    fleet.awaitUntil(
        Duration.ofSeconds(30), () -> !fleet.invariants.cordonedByRefitNow().isEmpty());
    fleet.assertForAtLeast(
        Duration.ofSeconds(5),
        "at most one of the 8 nodes out of service at once",
        () ->
            fleet.invariants.cordonedByRefitNow().size() <= 1
                && fleet.invariants.violations().isEmpty());

    fleet.api.restoreWatches();
    fleet.awaitRolledOut("workers", Duration.ofSeconds(90));
    assertThat(fleet.invariants.violations()).isEmpty();
  }
}
