package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The simulator end to end on rollouts that go through: the demo, a budget that blocks for a while,
 * rehearsals of cluster snapshots ({@link SimulatorFailuresIT} has the ones that go wrong). The
 * real operator as its own process, the real agents, the embedded API; every verdict comes from
 * what the harness observed.
 */
class SimulatorIT {

  private static final Path SCENARIOS = Path.of("src", "test", "resources", "sim");

  /** A rehearsal of a cluster snapshot with a scenario's policies. */
  private static Report rehearse(String snapshot, String scenario) throws Exception {
    return Simulations.run(
        FleetSnapshot.read(SCENARIOS.resolve(snapshot))
            .applyTo(Scenario.read(SCENARIOS.resolve(scenario)), false));
  }

  @Test
  void theDemoUpdatesTwentyNodesWithinTheLimitAndBreaksNoPromise() throws Exception {
    Report report = Simulations.run(Scenario.demo(20));

    assertThat(report.passed()).as("violations: %s", report.invariantViolations()).isTrue();
    assertThat(report.nodes())
        .hasSize(20)
        .allSatisfy(
            n -> {
              assertThat(n.updated()).as(n.name()).isTrue();
              assertThat(n.finalVersion()).isEqualTo("41.20250101.3.0");
              assertThat(n.boots()).as(n.name() + " boots").isOne();
              assertThat(n.cordonedAtEnd()).isFalse();
            });
    assertThat(report.maxDisruptedObserved()).isBetween(1, 4);
    assertThat(report.durationSeconds()).isGreaterThanOrEqualTo(report.idealSeconds());
    assertThat(report.handoffLatencyMillis().samples()).isPositive();
    assertThat(report.operator().peakHeapBytes()).isPositive();
    assertThat(report.operator().peakRssBytes()).isPositive();
    assertThat(report.apiRequests().operatorTotal()).isPositive();
    assertThat(report.condition("workers", "Ready").isTrue()).isTrue();
  }

  @Test
  void aBudgetThatBlocksDrainsThenAllowsThemIsNeverBroken() throws Exception {
    Report report =
        Simulations.run(Scenario.read(SCENARIOS.resolve("budget-blocks-then-allows.yaml")));

    assertThat(report.passed()).as("violations: %s", report.invariantViolations()).isTrue();
    assertThat(report.evictions().blocked()).isPositive();
    assertThat(report.evictions().blockedByBudget()).containsKey("shop/web");
    assertThat(report.nodes()).isNotEmpty().allSatisfy(n -> assertThat(n.updated()).isTrue());
    assertThat(report.maxDisruptedObserved()).isLessThanOrEqualTo(3);
  }

  @Test
  void aWhatIfFromAClusterSnapshotRespectsItsCordonsAndBudgets() throws Exception {
    Report report = rehearse("snapshot.yaml", "snapshot-policy.yaml");

    assertThat(report.invariantViolations()).isEmpty();
    assertThat(report.nodes())
        .extracting(Report.NodeReport::name)
        .containsExactlyInAnyOrder("cp-1", "worker-a", "worker-b", "worker-c", "worker-d");
    // worker-c was cordoned by someone in the real cluster: Refit leaves it alone
    Report.NodeReport cordoned =
        report.nodes().stream().filter(n -> n.name().equals("worker-c")).findFirst().orElseThrow();
    assertThat(cordoned.updated()).isFalse();
    assertThat(cordoned.boots()).isZero();
    assertThat(report.nodes().stream().filter(n -> n.name().matches("worker-[abd]")))
        .hasSize(3)
        .allSatisfy(n -> assertThat(n.updated()).as(n.name()).isTrue());
    assertThat(
            report.nodes().stream()
                .filter(n -> n.name().equals("cp-1"))
                .findFirst()
                .orElseThrow()
                .updated())
        .isFalse();
    assertThat(report.evictions().allowed()).isPositive();
  }

  @Test
  void aRehearsalOfASnapshotShowsTheDrainABudgetThatNeverYieldsBlocks() throws Exception {
    Report report = rehearse("snapshot-blocking.yaml", "snapshot-blocking-policy.yaml");

    assertThat(report.invariantViolations()).isEmpty();
    // the one-replica workload ran on w-2: its drain could never finish, so w-2 was skipped
    // before its cordon, and no eviction of its pod was ever tried
    assertThat(report.evictions().blockedByBudget()).doesNotContainKey("billing/solo");
    assertThat(node(report, "w-2").updated()).isFalse();
    assertThat(node(report, "w-2").notUpdatedBecause())
        .startsWith("Skipped (UnsatisfiableBudget: ")
        .contains("PDB billing/solo (pod billing/solo-");
    for (String updated : new String[] {"w-1", "w-3"}) {
      assertThat(node(report, updated).updated())
          .as("%s: %s", updated, node(report, updated).notUpdatedBecause())
          .isTrue();
    }
    assertThat(node(report, "cp-1").notUpdatedBecause()).isEqualTo("never selected by a policy");
    assertThat(report.policies())
        .singleElement()
        .satisfies(p -> assertThat(p.status().getNodes().getSkipped()).isOne());
    // no node has the accelerator the StatefulSet's pod asks for: it stays Pending
    assertThat(report.unschedulablePods())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.pod()).isEqualTo("ml/gpu-worker-0");
              assertThat(p.placedOn()).isNull();
            });
  }

  private static Report.NodeReport node(Report report, String name) {
    return report.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }
}
