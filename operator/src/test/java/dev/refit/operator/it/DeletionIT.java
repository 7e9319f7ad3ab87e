package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.PolicyReasons;
import dev.refit.api.RefitApi;
import dev.refit.operator.reconcile.PolicyReconciler;
import dev.refit.operator.testing.FakeAgents;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import dev.refit.operator.testing.RunningOperator;
import dev.refit.testing.NodeFault;
import dev.refit.testing.Workload;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deleting a policy mid-rollout: Refit starts nothing more, lets a node already rebooting finish,
 * stops the rest, lifts only its own cordons, deletes the policy's OSNodes, and only then lets the
 * policy go, so another policy can take the nodes.
 */
class DeletionIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private static final String PERSONS_NODE = "worker-6";
  private Fleet fleet;

  @BeforeEach
  void fleetWithAForeignCordon() {
    fleet = new Fleet().withNodes("worker", 6, WORKERS);
    fleet.cordonByPerson(PERSONS_NODE);
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void aPolicyDeletedMidDrainCancelsTheDrainLiftsItsCordonsAndGoes() {
    guardedWorkload();
    fleet.startOperator();
    // under Force a drain a budget never allows runs (and would be forced at its timeout)
    OSUpdatePolicy workers = policy("workers");
    workers.getSpec().getDrain().setOnTimeout(dev.refit.api.OnTimeout.Force);
    fleet.apply(workers);
    fleet.awaitCondition("workers", "Progressing", "DrainBlocked", Duration.ofSeconds(30));
    assertThat(fleet.invariants.cordonedByRefitNow()).isNotEmpty();
    assertThat(fleet.policy("workers").getMetadata().getFinalizers())
        .containsExactly(PolicyReconciler.FINALIZER);

    Map<String, Integer> cordonsAtDeletion = delete("workers");

    awaitGone("workers");
    assertHandedBack("workers", cordonsAtDeletion);
    assertThat(fleet.api.pdbViolations()).isEmpty();
    assertThat(fleet.events("workers", e -> PolicyReasons.DELETING.equals(e.getReason())))
        .anySatisfy(
            e -> assertThat(e.getMessage()).startsWith("lifted 1 cordon and deleted 6 OSNodes"));

    // the leftovers are gone, so another policy selecting the same nodes takes them
    fleet.apply(policy("others"));
    fleet.awaitUntil(
        Duration.ofSeconds(20),
        () ->
            fleet.osNodes().size() == 6
                && fleet.osNodes().stream()
                    .allMatch(o -> "others".equals(o.getSpec().getPolicy())));
    assertThat(fleet.reason("others", "Degraded")).isNotEqualTo(PolicyReasons.NODE_CONFLICT);
  }

  @Test
  void aPolicyDeletedMidRebootWaitsForTheRebootThenHandsTheNodeBack() {
    fleet.nodes.names().forEach(n -> fleet.nodes.inject(n, NodeFault.NEVER_REBOOT));
    fleet.startOperator();
    fleet.apply(policy("workers"));
    fleet.awaitUntil(Duration.ofSeconds(30), () -> inState(NodeState.Rebooting).size() == 1);
    String rebooting = inState(NodeState.Rebooting).get(0);

    Map<String, Integer> cordonsAtDeletion = delete("workers");

    Condition deleting =
        fleet.awaitCondition(
            "workers", "Progressing", PolicyReasons.DELETING, Duration.ofSeconds(10));
    assertThat(deleting.getMessage())
        .isEqualTo(
            "waiting for "
                + rebooting
                + " to finish its reboot; then lifting 1 cordon and deleting 1 OSNode");
    fleet.awaitUntil(Duration.ofSeconds(10), () -> fleet.osNodes().size() == 1);
    // really waits: two seconds on, the node is still cordoned and the policy still there
    fleet.awaitUntil(Duration.ofSeconds(3), () -> sleep(2_000));
    assertThat(fleet.policy("workers")).isNotNull();
    assertThat(fleet.invariants.cordonedByRefitNow()).containsExactly(rebooting);
    assertThat(fleet.events("workers", e -> PolicyReasons.DELETING.equals(e.getReason())))
        .anySatisfy(e -> assertThat(e.getMessage()).startsWith("waiting for " + rebooting));

    // the reboot that was under way completes
    fleet.nodes.clearFaults(rebooting);
    fleet.nodes.reboot(rebooting);

    awaitGone("workers");
    assertHandedBack("workers", cordonsAtDeletion);
    assertThat(fleet.agents.running(rebooting)).isNotEqualTo(FakeAgents.ORIGINAL);
    assertThat(fleet.invariants.reboots()).containsOnlyKeys(rebooting);
  }

  @Test
  void anOperatorStoppedDuringTheDeletionIsSucceededByOneThatFinishesIt() {
    fleet.nodes.names().forEach(n -> fleet.nodes.inject(n, NodeFault.NEVER_REBOOT));
    RunningOperator first = fleet.startOperator();
    fleet.apply(policy("workers"));
    fleet.awaitUntil(Duration.ofSeconds(30), () -> inState(NodeState.Rebooting).size() == 1);
    String rebooting = inState(NodeState.Rebooting).get(0);
    Map<String, Integer> cordonsAtDeletion = delete("workers");
    fleet.awaitCondition("workers", "Progressing", PolicyReasons.DELETING, Duration.ofSeconds(10));

    first.close();
    // the reboot completes while no operator runs; the finalizer keeps the policy meanwhile
    fleet.nodes.clearFaults(rebooting);
    fleet.nodes.reboot(rebooting);
    fleet.awaitUntil(Duration.ofSeconds(2), () -> sleep(1_000));
    assertThat(fleet.policy("workers")).isNotNull();
    assertThat(fleet.policy("workers").getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(fleet.invariants.cordonedByRefitNow()).containsExactly(rebooting);

    fleet.startOperator();
    awaitGone("workers");
    assertHandedBack("workers", cordonsAtDeletion);
    assertThat(fleet.invariants.reboots()).containsOnlyKeys(rebooting);
    assertThat(fleet.invariants.reboots().get(rebooting)).isOne();
  }

  /** A policy over the six workers; the person's cordon holds one of its two slots. */
  private static OSUpdatePolicy policy(String name) {
    OSUpdatePolicy policy = Fixtures.policy(name, WORKERS, "41.20250101.3.0");
    policy.getSpec().setMaxUnavailable(new IntOrString(2));
    return policy;
  }

  /** Three web pods on worker-1..3 and a budget that lets none go: the first drain is held. */
  private void guardedWorkload() {
    fleet.workloads.define(
        Workload.named("web")
            .inNamespace("shop")
            .withReplicas(3)
            .withBudget(Workload.Budget.minAvailable(3))
            .withTerminationGraceSeconds(10));
  }

  /** Deletes the policy as a person does; returns Refit's cordons until then. */
  private Map<String, Integer> delete(String policy) {
    Map<String, Integer> cordons = fleet.invariants.refitCordons();
    fleet.client().resources(OSUpdatePolicy.class).withName(policy).delete();
    return cordons;
  }

  private void awaitGone(String policy) {
    fleet.awaitUntil(Duration.ofSeconds(20), () -> fleet.policy(policy) == null);
  }

  /** No cordon or OSNode of the policy left, nothing new cordoned, the person's cordon intact. */
  private void assertHandedBack(String policy, Map<String, Integer> cordonsAtDeletion) {
    assertThat(fleet.invariants.cordonedByRefitNow()).isEmpty();
    assertThat(fleet.osNodes()).noneMatch(o -> policy.equals(o.getSpec().getPolicy()));
    assertThat(fleet.invariants.refitCordons()).isEqualTo(cordonsAtDeletion);
    Node persons = fleet.client().nodes().withName(PERSONS_NODE).get();
    assertThat(persons.getSpec().getUnschedulable()).isTrue();
    assertThat(persons.getMetadata().getAnnotations())
        .doesNotContainKey(RefitApi.CORDONED_ANNOTATION);
    assertThat(fleet.invariants.violations()).isEmpty();
  }

  private List<String> inState(NodeState state) {
    return fleet.osNodes().stream()
        .filter(o -> o.getSpec().getState() == state)
        .map(OSNode::getMetadata)
        .map(m -> m.getName())
        .toList();
  }

  private static boolean sleep(long millis) throws InterruptedException {
    Thread.sleep(millis);
    return true;
  }
}
