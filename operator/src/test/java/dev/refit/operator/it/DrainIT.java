package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OnTimeout;
import dev.refit.operator.testing.FakeAgents;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import dev.refit.testing.Workload;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drains through the Eviction API on a 20-node fleet, against PodDisruptionBudgets. */
class DrainIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private Fleet fleet;

  @BeforeEach
  void fleetWithAGuardedWorkload() {
    fleet = new Fleet().withNodes("worker", 20, WORKERS);
    // three web pods on worker-1..3, and a budget that lets none of them go
    fleet.workloads.define(
        Workload.named("web")
            .inNamespace("shop")
            .withReplicas(3)
            .withBudget(Workload.Budget.minAvailable(3))
            .withTerminationGraceSeconds(10));
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  private OSUpdatePolicy policy(int drainTimeoutSeconds, OnTimeout onTimeout) {
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().getDrain().setTimeoutSeconds(drainTimeoutSeconds);
    policy.getSpec().getDrain().setOnTimeout(onTimeout);
    return policy;
  }

  /**
   * The web pods opt out of disruption for good, and their budget becomes one that could allow an
   * eviction: their drains block, and only the drain timeout ends them.
   */
  private void podsOptOutInsteadOfTheBudget() {
    relaxBudget();
    for (var pod : fleet.workloads.pods("shop", "web")) {
      fleet
          .client()
          .pods()
          .inNamespace("shop")
          .withName(pod.getMetadata().getName())
          .edit(
              p -> {
                Map<String, String> annotations =
                    new java.util.HashMap<>(
                        p.getMetadata().getAnnotations() == null
                            ? Map.of()
                            : p.getMetadata().getAnnotations());
                annotations.put(dev.refit.api.RefitApi.DO_NOT_DISRUPT_ANNOTATION, "true");
                p.getMetadata().setAnnotations(annotations);
                return p;
              });
    }
  }

  /**
   * Waits for the rollout to complete with the three nodes holding web pods skipped (they cannot be
   * drained) and the other 17 updated.
   */
  private OSUpdatePolicy completeWithTheWebNodesSkipped() {
    fleet.awaitUntil(
        Duration.ofSeconds(120), () -> "Complete".equals(fleet.reason("workers", "Progressing")));
    OSUpdatePolicy policy = fleet.policy("workers");
    assertThat(policy.getStatus().getNodes().getSkipped()).isEqualTo(3);
    assertThat(policy.getStatus().getNodes().getUpdated()).isEqualTo(17);
    return policy;
  }

  private void relaxBudget() {
    fleet
        .client()
        .policy()
        .v1()
        .podDisruptionBudget()
        .inNamespace("shop")
        .withName("web")
        .edit(
            pdb -> {
              pdb.getSpec().setMinAvailable(new IntOrString(2));
              return pdb;
            });
  }

  @Test
  void aBudgetThatNeverAllowsAnEvictionUnderHaltFailsTheNodeBeforeItsCordonAndHalts() {
    fleet.startOperator();
    fleet.apply(policy(600, OnTimeout.Halt));

    Condition degraded =
        fleet.awaitCondition("workers", "Degraded", "UnsatisfiableBudget", Duration.ofSeconds(30));
    String failed =
        java.util.stream.Stream.of("worker-1", "worker-2", "worker-3")
            .filter(n -> fleet.osNode(n).getSpec().getState() == NodeState.Failed)
            .findFirst()
            .orElseThrow();
    assertThat(degraded.getMessage())
        .contains(failed + " was not cordoned, a PodDisruptionBudget on one of its pods can never");
    var spec = fleet.osNode(failed).getSpec();
    assertThat(spec.getReason()).isEqualTo("UnsatisfiableBudget");
    assertThat(spec.getMessage())
        .contains("not cordoned: its drain could never finish: PDB shop/web (pod shop/web-")
        .contains("which can never allow an eviction (minAvailable 3 with 3 pods)");
    // at once, not after the drain timeout, and without a cordon or an eviction
    assertThat(fleet.invariants.refitCordons()).doesNotContainKey(failed);
    assertThat(fleet.api.evictions()).noneSatisfy(e -> assertThat(e.blocked()).isTrue());
    assertThat(fleet.events(failed, e -> "UnsatisfiableBudget".equals(e.getReason()))).isNotEmpty();

    // a person relaxes the budget and asks for the node again: the rollout finishes
    relaxBudget();
    fleet.client().resources(dev.refit.api.OSNode.class).withName(failed).delete();
    fleet.awaitRolledOut("workers", Duration.ofSeconds(120));
    assertThat(fleet.api.pdbViolations()).isEmpty();
    assertThat(fleet.invariants.cordonedByRefitNow()).isEmpty();
  }

  @Test
  void aBudgetThatNeverAllowsAnEvictionUnderSkipSkipsItsNodesWithoutACordon() {
    java.util.List<String> guarded =
        fleet.workloads.pods("shop", "web").stream().map(p -> p.getSpec().getNodeName()).toList();
    assertThat(guarded).hasSize(3);
    fleet.startOperator();
    fleet.apply(policy(600, OnTimeout.Skip));

    completeWithTheWebNodesSkipped();
    for (String node : guarded) {
      assertThat(fleet.osNode(node).getSpec().getReason()).isEqualTo("UnsatisfiableBudget");
      assertThat(fleet.invariants.refitCordons()).as(node).doesNotContainKey(node);
    }
    assertThat(fleet.api.evictions()).noneSatisfy(e -> assertThat(e.blocked()).isTrue());
    assertThat(fleet.condition("workers", "Degraded").getMessage())
        .startsWith("3 nodes were left behind and need a person: worker-")
        .contains("skipped (UnsatisfiableBudget)")
        .contains("PDB shop/web (pod shop/web-");
  }

  @Test
  void aBudgetThatBlocksIsNamedUntilItAllowsThenTheRolloutFinishes() {
    fleet.startOperator();
    // under Force the drain runs (and would be forced at its timeout): the budget is named
    fleet.apply(policy(600, OnTimeout.Force));

    Condition blocked =
        fleet.awaitCondition("workers", "Progressing", "DrainBlocked", Duration.ofSeconds(30));
    assertThat(blocked.getMessage())
        .startsWith("drain of worker-1 blocked by PDB shop/web (pod shop/web-")
        .contains(", which can never allow an eviction (minAvailable 3 with 3 pods)");
    assertThat(fleet.policy("workers").getStatus().getProblems())
        .anySatisfy(
            p -> {
              assertThat(p.getNode()).isEqualTo("worker-1");
              assertThat(p.getReason()).isEqualTo("DrainBlocked");
              assertThat(p.getMessage()).contains("PDB shop/web");
            });
    fleet.awaitUntil(
        Duration.ofSeconds(10),
        () ->
            !fleet.events("worker-1", e -> "DrainBlocked".equals(e.getReason())).isEmpty()
                && !fleet.events("workers", e -> "DrainBlocked".equals(e.getReason())).isEmpty());
    assertThat(fleet.api.evictions()).anySatisfy(e -> assertThat(e.blocked()).isTrue());

    relaxBudget();

    fleet.awaitRolledOut("workers", Duration.ofSeconds(120));
    assertThat(fleet.api.pdbViolations()).isEmpty();
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(1);
    assertThat(fleet.invariants.cordonedByRefitNow()).isEmpty();
  }

  @Test
  void aDrainThatTimesOutUnderHaltFailsTheNodeUncordonsItAndHaltsTheRollout() {
    podsOptOutInsteadOfTheBudget();
    fleet.startOperator();
    fleet.apply(policy(1, OnTimeout.Halt));

    Condition degraded =
        fleet.awaitCondition("workers", "Degraded", "DrainTimedOut", Duration.ofSeconds(30));
    assertThat(degraded.getMessage()).contains("the drain of worker-1 timed out (onTimeout: Halt)");
    assertThat(fleet.osNode("worker-1").getSpec().getState()).isEqualTo(NodeState.Failed);
    assertThat(fleet.condition("workers", "Progressing").getReason()).isEqualTo("Halted");
    fleet.awaitUntil(Duration.ofSeconds(5), () -> fleet.invariants.cordonedByRefitNow().isEmpty());
    // Nothing starts after the halt. (Nodes go in the order they finish staging, so one that
    // staged before worker-1 may have been updated before it.)
    Map<String, Integer> cordonsAtHalt = fleet.invariants.refitCordons(); // a copy
    assertThat(cordonsAtHalt).containsEntry("worker-1", 1);
    fleet.assertForAtLeast(
        Duration.ofSeconds(2),
        "no node cordoned after the halt",
        () -> fleet.invariants.refitCordons().equals(cordonsAtHalt));
    assertThat(fleet.api.pdbViolations()).isEmpty();
  }

  @Test
  void aDrainThatTimesOutUnderSkipLeavesTheNodeAndGoesOn() {
    podsOptOutInsteadOfTheBudget();
    fleet.startOperator();
    fleet.apply(policy(1, OnTimeout.Skip));

    OSUpdatePolicy policy = completeWithTheWebNodesSkipped();
    assertThat(fleet.osNode("worker-1").getSpec().getState()).isEqualTo(NodeState.Skipped);
    assertThat(fleet.agents.running("worker-1")).isEqualTo(FakeAgents.ORIGINAL);
    assertThat(fleet.invariants.cordonedByRefitNow()).isEmpty();
    assertThat(fleet.api.pdbViolations()).isEmpty();
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(1);
    // the rollout is over, but the nodes left behind need a person, and stay named
    Condition degraded = fleet.condition("workers", "Degraded");
    assertThat(degraded.getReason()).isEqualTo("NodesNeedAttention");
    assertThat(degraded.getMessage())
        .startsWith("3 nodes were left behind and need a person: worker-1 skipped (DrainTimedOut)")
        .contains("blocked by pod shop/web-")
        .contains("which opted out of disruption (refit.dev/do-not-disrupt: true)");
    assertThat(fleet.condition("workers", "Progressing").getMessage())
        .startsWith("17 of 20 updated; left behind: worker-1 (Skipped), worker-");
    assertThat(policy.getStatus().getProblems())
        .filteredOn(p -> p.getReason().equals("DrainTimedOut"))
        .hasSize(3);
    assertThat(policy.getStatus().getProblems())
        .allSatisfy(p -> assertThat(p.getMessage()).contains("opted out of disruption"));
    assertThat(policy.getStatus().getWaitingFor()).isNull();
    assertThat(fleet.events("workers", e -> "NodesNeedAttention".equals(e.getReason())))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
  }

  @Test
  void aDrainThatTimesOutUnderForceDeletesThePodsAndUpdatesTheNode() {
    java.util.List<String> guarded =
        fleet.workloads.pods("shop", "web").stream().map(p -> p.getMetadata().getName()).toList();
    assertThat(guarded).hasSize(3);
    fleet.startOperator();
    fleet.apply(policy(1, OnTimeout.Force));

    fleet.awaitRolledOut("workers", Duration.ofSeconds(120));
    // Force is the one case where a budget may be broken, and the harness saw it happen
    assertThat(fleet.api.pdbViolations()).isNotEmpty();
    assertThat(fleet.api.pdbViolations()).allSatisfy(v -> assertThat(v.budget()).isEqualTo("web"));
    // the pods the budget guarded were deleted, and their nodes run the new OS
    for (String pod : guarded) {
      assertThat(fleet.client().pods().inNamespace("shop").withName(pod).get()).as(pod).isNull();
    }
    assertThat(fleet.agents.running("worker-1")).isNotEqualTo(FakeAgents.ORIGINAL);
    // ... by deleting the pods, not the budget that was in the way
    PodDisruptionBudget budget =
        fleet
            .client()
            .policy()
            .v1()
            .podDisruptionBudget()
            .inNamespace("shop")
            .withName("web")
            .get();
    assertThat(budget).isNotNull();
    assertThat(fleet.invariants.cordonedByRefitNow()).isEmpty();
  }
}
