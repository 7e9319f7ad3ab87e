package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The simulator end to end: the real operator as its own process, the real agents, the embedded
 * API; every verdict comes from what the harness observed.
 */
class SimulatorIT {

  private static final Path SCENARIOS = Path.of("src", "test", "resources", "sim");

  private static Report run(Scenario scenario) throws Exception {
    return new Simulation(
            scenario,
            new Simulation.Options(
                OperatorProcess.locate(null),
                Files.createTempDirectory("refit-sim-it"),
                Progress.silent()))
        .run();
  }

  /** A rehearsal of a cluster snapshot with a scenario's policies. */
  private static Report rehearse(String snapshot, String scenario) throws Exception {
    return run(
        FleetSnapshot.read(SCENARIOS.resolve(snapshot))
            .applyTo(Scenario.read(SCENARIOS.resolve(scenario)), false));
  }

  @Test
  void theDemoUpdatesTwentyNodesWithinTheLimitAndBreaksNoPromise() throws Exception {
    Report report = run(Scenario.demo(20));

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
    Report report = run(Scenario.read(SCENARIOS.resolve("budget-blocks-then-allows.yaml")));

    assertThat(report.passed()).as("violations: %s", report.invariantViolations()).isTrue();
    assertThat(report.evictions().blocked()).isPositive();
    assertThat(report.evictions().blockedByBudget()).containsKey("shop/web");
    assertThat(report.nodes()).isNotEmpty().allSatisfy(n -> assertThat(n.updated()).isTrue());
    assertThat(report.maxDisruptedObserved()).isLessThanOrEqualTo(3);
  }

  @Test
  void aNodeThatNeverReturnsSpendsTheFailureBudgetAndHaltsTheRollout() throws Exception {
    Report report = run(Scenario.read(SCENARIOS.resolve("failure-budget.yaml")));

    assertThat(report.completed()).isTrue();
    assertThat(report.invariantViolations()).isEmpty();
    Condition degraded = report.condition("all", "Degraded");
    assertThat(degraded.getReason()).isEqualTo("FailureBudgetExhausted");
    assertThat(degraded.getMessage())
        .startsWith(
            "halted: 1 of 1 allowed failures (node-3: ReadyTimeout); 1 node was left behind")
        .contains("kept cordoned by Refit: NotReady");
    Report.NodeReport failed =
        report.nodes().stream().filter(n -> n.name().equals("node-3")).findFirst().orElseThrow();
    assertThat(failed.state()).isEqualTo("Failed");
    double haltedAt =
        failed.transitions().stream()
            .filter(t -> t.state().equals("Failed"))
            .mapToDouble(Report.Transition::atSeconds)
            .min()
            .orElseThrow();
    // Nodes go in the order they finish staging, so which ones went before node-3 varies; what
    // must hold is that none started after node-3 failed, and so the rollout did not finish.
    assertThat(report.nodes())
        .isNotEmpty()
        .allSatisfy(
            n ->
                assertThat(n.transitions())
                    .as(n.name())
                    .noneMatch(t -> t.state().equals("Draining") && t.atSeconds() > haltedAt));
    assertThat(report.nodes().stream().filter(Report.NodeReport::updated).count()).isLessThan(7);
  }

  /** docs/examples/scenarios/canary-halts-a-bad-update.yaml, as a person would run it. */
  @Test
  void aCanaryThatNeverComesBackHaltsTheRolloutBeforeAnyOtherNodeIsTouched() throws Exception {
    Report report =
        run(
            Scenario.read(
                Path.of("..", "docs", "examples", "scenarios", "canary-halts-a-bad-update.yaml")));

    assertThat(report.completed()).as("settled, judged from what was observed").isTrue();
    assertThat(report.invariantViolations()).isEmpty();
    assertThat(report.discrepancies()).as("the operator's word matches the fleet").isEmpty();
    Condition degraded = report.condition("workers", "Degraded");
    assertThat(degraded.getReason()).isEqualTo("CanaryFailed");
    assertThat(degraded.getMessage())
        .startsWith("halted: canary w-2 failed (ReadyTimeout); no other node is updated");
    assertThat(report.condition("workers", "Progressing").getReason()).isEqualTo("Halted");
    assertThat(report.nodes())
        .filteredOn(n -> n.transitions().stream().anyMatch(t -> t.state().equals("Draining")))
        .extracting(Report.NodeReport::name)
        .containsExactlyInAnyOrder("w-1", "w-2");
    assertThat(report.nodes())
        .filteredOn(n -> n.name().equals("w-2"))
        .singleElement()
        .satisfies(n -> assertThat(n.state()).isEqualTo("Failed"));
    assertThat(report.nodes())
        .filteredOn(n -> !n.name().equals("w-1") && !n.name().equals("w-2"))
        .hasSize(18)
        .allSatisfy(
            n ->
                assertThat(n.notUpdatedBecause())
                    .endsWith("policy workers is halted (CanaryFailed)"));
  }

  @Test
  void aNodeThatFailsOnTheNewOsIsRolledBackAndBackInServiceWhileTheRestIsUpdated()
      throws Exception {
    Report report =
        run(
            Scenario.read(
                Path.of("..", "docs", "examples", "scenarios", "rollback-a-bad-update.yaml")));

    assertThat(report.completed()).as("settled, judged from what was observed").isTrue();
    assertThat(report.invariantViolations()).isEmpty();
    assertThat(report.discrepancies()).as("the operator's word matches the fleet").isEmpty();
    assertThat(report.nodes())
        .filteredOn(n -> n.name().equals("w-3"))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.state()).isEqualTo("Failed");
              assertThat(n.transitions()).anyMatch(t -> t.state().equals("RollingBack"));
              assertThat(n.notUpdatedBecause())
                  .contains("RolledBack: failed its verification on the target (ReadyTimeout)")
                  .contains("back in service");
            });
    assertThat(report.nodes())
        .filteredOn(n -> !n.name().equals("w-3"))
        .hasSize(4)
        .allSatisfy(n -> assertThat(n.state()).isEqualTo("UpToDate"));
    assertThat(report.condition("workers", "Progressing").getReason()).isEqualTo("Complete");
  }

  @Test
  void anOperatorKilledMidRolloutIsReplacedAndTheRolloutFinishesSafely() throws Exception {
    Report report = run(Scenario.read(SCENARIOS.resolve("operator-restart.yaml")));

    assertThat(report.passed()).as("violations: %s", report.invariantViolations()).isTrue();
    assertThat(report.operator().starts()).isGreaterThanOrEqualTo(2);
    assertThat(report.nodes())
        .hasSize(10)
        .allSatisfy(
            n -> {
              assertThat(n.updated()).as(n.name()).isTrue();
              assertThat(n.boots()).as(n.name() + " boots").isOne();
            });
    assertThat(report.maxDisruptedObserved()).isLessThanOrEqualTo(2);
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
