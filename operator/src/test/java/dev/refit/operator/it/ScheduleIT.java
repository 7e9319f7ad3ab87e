package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Blackout;
import dev.refit.api.Condition;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.Schedule;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When and in which order nodes start: blackouts, zones, control-plane nodes last, the operator's
 * own node last of all.
 */
class ScheduleIT {

  private Fleet fleet;

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void aBlackoutHoldsTheRolloutAndItStartsByItselfWhenTheBlackoutEnds() {
    fleet = new Fleet().withNodes("worker", 20, Map.of("pool", "workers"));
    fleet.startOperator();
    Instant end = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
    Blackout freeze = new Blackout();
    freeze.setStart(end.minus(Duration.ofHours(1)).toString());
    freeze.setEnd(end.toString());
    freeze.setReason("release freeze");
    Schedule schedule = new Schedule();
    schedule.setBlackouts(List.of(freeze));
    OSUpdatePolicy policy =
        Fixtures.policy("workers", Map.of("pool", "workers"), "41.20250101.3.0");
    policy.getSpec().setSchedule(schedule);
    fleet.apply(policy);

    Condition held = fleet.awaitCondition("workers", "Progressing", "Held", Duration.ofSeconds(10));
    assertThat(held.getMessage()).startsWith("in blackout \"release freeze\" until " + end);
    assertThat(fleet.policy("workers").getStatus().getNextWindow()).isEqualTo(end.toString());
    // nothing starts for the rest of the blackout (but a moment before its end, as clocks differ)
    fleet.assertForAtLeast(
        Duration.between(Instant.now(), end.minusMillis(300)),
        "no node cordoned during the blackout",
        () -> fleet.invariants.refitCordons().isEmpty());

    fleet.awaitRolledOut("workers", Duration.ofSeconds(90));
    // every node went once, one at a time (which first depends on when each finished staging)
    assertThat(fleet.invariants.cordonOrder()).doesNotHaveDuplicates().hasSize(20);
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(1);
    assertThat(fleet.policy("workers").getStatus().getNextWindow()).isNull();
  }

  @Test
  void zoneByZoneGivesSlotsToEarlierZonesFirstAndControlPlaneNodesGoLast() {
    fleet = new Fleet();
    for (int i = 1; i <= 20; i++) {
      Map<String, String> labels = new HashMap<>();
      labels.put("pool", "all");
      labels.put("topology.kubernetes.io/zone", i % 2 == 0 ? "zone-b" : "zone-a");
      if (i == 1 || i == 2) {
        labels.put("node-role.kubernetes.io/control-plane", "");
      }
      fleet.nodes.add("node-" + i, labels);
    }
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("all", Map.of("pool", "all"), "41.20250101.3.0");
    policy.getSpec().setMaxUnavailable(new IntOrString(3));
    policy.getSpec().getRollout().getOrdering().setZoneByZone(true);
    // every node staged before the first starts: the order is then the rollout order alone
    // (a node still downloading would not hold its zone's place: the slot goes to the next)
    fleet.applyPausedUntilStaged(policy, 20);
    fleet.resume("all");

    fleet.awaitRolledOut("all", Duration.ofSeconds(90));
    List<String> order = fleet.invariants.cordonOrder();
    assertThat(order).hasSize(20);
    // workers of zone a (odd, without node-1), then zone b (even, without node-2), then the
    // control plane (node-1 and node-2, given their slots in one round: their cordons are written
    // side by side, so either may land first)
    assertThat(order.subList(0, 9))
        .allSatisfy(n -> assertThat(Integer.parseInt(n.substring(5)) % 2).isOne());
    assertThat(order.subList(9, 18))
        .allSatisfy(n -> assertThat(Integer.parseInt(n.substring(5)) % 2).isZero());
    assertThat(order.subList(18, 20)).containsExactlyInAnyOrder("node-1", "node-2");
    assertThat(fleet.invariants.maxUnavailable()).isLessThanOrEqualTo(3);
  }

  @Test
  void theNodeTheOperatorRunsOnGoesLastEvenBeforeTheControlPlane() {
    fleet = new Fleet();
    for (int i = 1; i <= 6; i++) {
      Map<String, String> labels = new HashMap<>();
      labels.put("pool", "all");
      if (i == 2) {
        labels.put("node-role.kubernetes.io/control-plane", "");
      }
      fleet.nodes.add("node-" + i, labels);
    }
    // node-1 would go first in name order
    fleet.startOperatorOn("node-1");
    OSUpdatePolicy policy = Fixtures.policy("all", Map.of("pool", "all"), "41.20250101.3.0");
    fleet.applyPausedUntilStaged(policy, 6);
    fleet.resume("all");

    fleet.awaitRolledOut("all", Duration.ofSeconds(60));
    assertThat(fleet.invariants.cordonOrder())
        .containsExactly("node-3", "node-4", "node-5", "node-6", "node-2", "node-1");
  }
}
