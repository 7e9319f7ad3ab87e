package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSTarget;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.Revisions;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What people change while a rollout runs: pause, target, the fleet itself, overlapping policies.
 */
class ChangesIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private Fleet fleet;

  @BeforeEach
  void fleetOfTwenty() {
    fleet = new Fleet().withNodes("worker", 20, WORKERS);
    fleet.startOperator();
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  private int updated(String policy) {
    var status = fleet.policy(policy).getStatus();
    return status == null || status.getNodes() == null ? 0 : status.getNodes().getUpdated();
  }

  @Test
  void pausingLetsTheNodeInFlightFinishAndStartsNoOtherUntilResumed() {
    fleet.apply(Fixtures.policy("workers", WORKERS, "41.20250101.3.0"));
    fleet.awaitUntil(Duration.ofSeconds(60), () -> updated("workers") >= 3);

    fleet.edit(
        "workers",
        p -> {
          p.getSpec().getRollout().setPaused(true);
          return p;
        });
    fleet.awaitCondition("workers", "Progressing", "Held", Duration.ofSeconds(20));
    assertThat(fleet.condition("workers", "Paused").isTrue()).isTrue();
    Map<String, Integer> cordonsWhenHeld = fleet.invariants.refitCordons();
    int updatedWhenHeld = updated("workers");
    assertThat(updatedWhenHeld).isLessThan(20);
    fleet.assertForAtLeast(
        Duration.ofSeconds(2),
        "no node cordoned or updated while paused",
        () ->
            fleet.invariants.refitCordons().equals(cordonsWhenHeld)
                && updated("workers") == updatedWhenHeld);
    assertThat(fleet.invariants.cordonedByRefitNow()).isEmpty();

    fleet.resume("workers");
    fleet.awaitRolledOut("workers", Duration.ofSeconds(90));
    assertThat(fleet.condition("workers", "Paused").isTrue()).isFalse();
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(1);
  }

  @Test
  void aNewTargetMidRolloutTakesOverAndEveryNodeEndsOnIt() {
    fleet.apply(Fixtures.policy("workers", WORKERS, "41.20250101.3.0"));
    fleet.awaitUntil(Duration.ofSeconds(60), () -> updated("workers") >= 4);

    OSUpdatePolicy changed =
        fleet.edit(
            "workers",
            p -> {
              p.getSpec().setOs(OSTarget.version("41.20250115.3.0"));
              return p;
            });
    String newRevision = Revisions.of(changed.getSpec());

    fleet.awaitUntil(
        Duration.ofSeconds(120),
        () ->
            newRevision.equals(fleet.policy("workers").getStatus().getTargetRevision())
                && "AllNodesUpdated".equals(fleet.reason("workers", "Ready")));
    assertThat(fleet.osNodes()).hasSize(20);
    for (OSNode node : fleet.osNodes()) {
      assertThat(node.getSpec().getDesiredRevision()).isEqualTo(newRevision);
      assertThat(fleet.agents.running(node.getMetadata().getName())).isEqualTo(newRevision);
    }
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(1);
    assertThat(fleet.invariants.cordonedByRefitNow()).isEmpty();
    // a node is drained at most once per target
    assertThat(fleet.invariants.refitCordons().values())
        .allSatisfy(c -> assertThat(c).isBetween(1, 2));
  }

  @Test
  void aNodeAddedMidRolloutIsUpdatedAndOneDeletedIsLetGo() {
    fleet.apply(Fixtures.policy("workers", WORKERS, "41.20250101.3.0"));
    fleet.awaitUntil(Duration.ofSeconds(60), () -> updated("workers") >= 3);

    assertThat(fleet.osNode("worker-15")).as("worker-15 is managed before it goes").isNotNull();
    fleet.nodes.add("worker-21", WORKERS);
    fleet.nodes.remove("worker-15");

    fleet.awaitRolledOut("workers", Duration.ofSeconds(90));
    assertThat(fleet.policy("workers").getStatus().getProgress()).isEqualTo("20/20");
    fleet.awaitUntil(Duration.ofSeconds(10), () -> fleet.osNode("worker-15") == null);
    assertThat(fleet.osNode("worker-21").getSpec().getState()).isEqualTo(NodeState.UpToDate);
    assertThat(fleet.invariants.cordonedByRefitNow()).isEmpty();
  }

  @Test
  void nodesTwoPoliciesClaimOrLabelledExcludeAreNeverTouchedWhileTheRestRollsOut() {
    for (String node : new String[] {"worker-5", "worker-6"}) {
      fleet
          .client()
          .nodes()
          .withName(node)
          .edit(
              n -> {
                n.getMetadata().getLabels().put("zone", "z1");
                return n;
              });
    }
    fleet
        .client()
        .nodes()
        .withName("worker-7")
        .edit(
            n -> {
              n.getMetadata().getLabels().put(dev.refit.api.RefitApi.EXCLUDE_LABEL, "");
              return n;
            });
    fleet.apply(Fixtures.policy("by-pool", WORKERS, "41.20250101.3.0"));
    fleet.apply(Fixtures.policy("by-zone", Map.of("zone", "z1"), "1.19.2"));

    fleet.awaitRolledOut("by-pool", Duration.ofSeconds(90));
    assertThat(fleet.policy("by-pool").getStatus().getProgress()).isEqualTo("17/17");
    assertThat(fleet.policy("by-pool").getStatus().getNodes().getExcluded()).isEqualTo(3);
    assertThat(fleet.reason("by-pool", "Degraded")).isEqualTo("NodeConflict");
    assertThat(fleet.reason("by-zone", "Degraded")).isEqualTo("NodeConflict");
    assertThat(fleet.condition("by-zone", "Degraded").getMessage())
        .contains("2 nodes are also selected by policy by-pool (worker-5, worker-6)");
    assertThat(fleet.invariants.refitCordons())
        .doesNotContainKeys("worker-5", "worker-6", "worker-7");
    assertThat(fleet.osNode("worker-5")).isNull();
  }
}
