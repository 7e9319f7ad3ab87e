package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.EventReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.operator.testing.FakeAgents;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import dev.refit.testing.Workload;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a node's slot is given back: after the soak, and when the policy stops selecting it. */
class ReleaseIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private final Fleet fleet = new Fleet();

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void theNextNodeStartsOnlyOnceTheUpdatedOneHasSoaked() {
    fleet.withNodes("worker", 2, WORKERS);
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().getRollout().setSoakSeconds(5);
    fleet.apply(policy);

    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () -> fleet.osNodes().stream().anyMatch(n -> n.getSpec().getState() == NodeState.UpToDate));
    // The soak runs from the moment the node was found updated, a little before this point; the
    // status and the 3 s check below stay well inside its 5 s.
    assertThat(fleet.invariants.refitCordons()).hasSize(1);
    fleet.awaitUntil(
        Duration.ofSeconds(1),
        () ->
            fleet.policy("workers").getStatus().getSlots().getHolders().stream()
                .anyMatch(h -> h.getWhy().startsWith("soaking until ")));
    fleet.assertForAtLeast(
        Duration.ofSeconds(3),
        "no second node cordoned while the first soaks",
        () -> fleet.invariants.refitCordons().size() == 1);

    fleet.awaitUntil(Duration.ofSeconds(5), () -> fleet.invariants.refitCordons().size() == 2);
    fleet.awaitRolledOut("workers", Duration.ofSeconds(30));
  }

  @Test
  void aNodeWhoseLabelsStopMatchingIsReleasedUncordonedAndNoLongerCounted() {
    fleet.nodes.add("worker-1", Map.of("pool", "workers", "web", "yes"));
    fleet.withNodes("other", 2, WORKERS);
    // the one web pod, on worker-1, may not be evicted: its drain blocks and holds the cordon
    fleet.workloads.define(
        Workload.named("web")
            .inNamespace("shop")
            .withNodeSelector(Map.of("web", "yes"))
            .withBudget(Workload.Budget.minAvailable(1)));
    fleet.startOperator();
    // under Force a drain a budget never allows runs (and would be forced at its timeout)
    OSUpdatePolicy workers = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    workers.getSpec().getDrain().setOnTimeout(dev.refit.api.OnTimeout.Force);
    fleet.apply(workers);
    fleet.awaitCondition("workers", "Progressing", "DrainBlocked", Duration.ofSeconds(30));
    assertThat(fleet.invariants.cordonedByRefitNow()).containsExactly("worker-1");
    assertThat(fleet.policy("workers").getStatus().getNodes().getTotal()).isEqualTo(3);

    fleet
        .client()
        .nodes()
        .withName("worker-1")
        .edit(
            n -> {
              n.getMetadata().getLabels().remove("pool");
              return n;
            });

    fleet.awaitUntil(
        Duration.ofSeconds(10),
        () -> fleet.osNode("worker-1") == null && fleet.invariants.cordonedByRefitNow().isEmpty());
    assertThat(fleet.client().nodes().withName("worker-1").get().getSpec().getUnschedulable())
        .isNotEqualTo(Boolean.TRUE);
    assertThat(fleet.events("worker-1", e -> EventReasons.UNCORDONED.equals(e.getReason())))
        .anySatisfy(e -> assertThat(e.getMessage()).isEqualTo("released by policy workers"));
    // its drain stopped with it: no more eviction attempts for the web pod
    long attempts = fleet.api.evictions().size();
    fleet.assertForAtLeast(
        Duration.ofSeconds(1),
        "no eviction after the release",
        () -> fleet.api.evictions().size() == attempts);

    fleet.awaitRolledOut("workers", Duration.ofSeconds(30));
    assertThat(fleet.policy("workers").getStatus().getNodes().getTotal()).isEqualTo(2);
    assertThat(fleet.policy("workers").getStatus().getProgress()).isEqualTo("2/2");
    assertThat(fleet.agents.running("worker-1")).isEqualTo(FakeAgents.ORIGINAL);
    assertThat(fleet.api.pdbViolations()).isEmpty();
  }
}
