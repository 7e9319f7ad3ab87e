package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import dev.refit.api.EventReasons;
import dev.refit.api.Gates;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.PolicyReasons;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * spec.gates: an external system (a storage system, say) must set annotations on the Node before
 * Refit drains it and after its reboot before Refit uncordons it. Status and Events name the gate
 * waited for; a confirmation from before the update does not count; Refit removes the gates when it
 * lifts its cordon; a gate unset in time fails the node and halts the rollout.
 */
class GatesIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private static final String DRAIN_OK = "storage.example.com/drain-ok";
  private static final String REJOINED = "storage.example.com/rejoined";

  private final Fleet fleet = new Fleet();

  @AfterEach
  void stop() {
    fleet.close();
  }

  private OSUpdatePolicy policy(int timeoutSeconds) {
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    Gates gates = new Gates();
    gates.setBeforeDrain(List.of(DRAIN_OK));
    gates.setAfterReboot(List.of(REJOINED));
    gates.setTimeoutSeconds(timeoutSeconds);
    policy.getSpec().setGates(gates);
    return policy;
  }

  @Test
  void theDrainWaitsForItsGateTheUncordonForTheOtherAndBothAreAskedAgainNextTime() {
    fleet.withNodes("worker", 1, WORKERS);
    // a confirmation left from some earlier time must not count for this update
    annotate("worker-1", REJOINED, "true");
    fleet.startOperator();
    fleet.apply(policy(600));

    awaitWaitingForGate("worker-1", NodeState.Cordoned);
    awaitProgressingSays("worker-1 (Cordoned, waiting for " + DRAIN_OK + ")");
    assertThat(fleet.osNode("worker-1").getSpec().getMessage())
        .isEqualTo("waiting for gate " + DRAIN_OK + " to be \"true\" on the Node before its drain");
    assertThat(annotations("worker-1")).doesNotContainKey(REJOINED);
    fleet.awaitUntil(
        Duration.ofSeconds(10),
        () ->
            !fleet
                .events("worker-1", e -> EventReasons.WAITING_FOR_GATE.equals(e.getReason()))
                .isEmpty());
    fleet.assertForAtLeast(
        Duration.ofSeconds(2),
        "nothing is drained or rebooted while the gate is unset",
        () -> fleet.osNode("worker-1").getSpec().getState() == NodeState.Cordoned);

    annotate("worker-1", DRAIN_OK, "true");
    awaitWaitingForGate("worker-1", NodeState.Verifying);
    awaitProgressingSays("worker-1 (Verifying, waiting for " + REJOINED + ")");
    fleet.assertForAtLeast(
        Duration.ofSeconds(2),
        "the node keeps Refit's cordon until the gate is set",
        () -> fleet.invariants.cordonedByRefitNow().equals(List.of("worker-1")));

    annotate("worker-1", REJOINED, "true");
    fleet.awaitRolledOut("workers", Duration.ofSeconds(30));
    assertThat(annotations("worker-1"))
        .as("the next update asks again")
        .doesNotContainKeys(DRAIN_OK, REJOINED);
    assertThat(fleet.invariants.violations()).isEmpty();
  }

  @Test
  void aGateUnsetInTimeFailsTheNodeAndHaltsTheRollout() {
    fleet.withNodes("worker", 2, WORKERS);
    fleet.startOperator();
    fleet.apply(policy(10));

    Condition degraded =
        fleet.awaitCondition(
            "workers", "Degraded", PolicyReasons.GATE_TIMED_OUT, Duration.ofSeconds(40));
    // the first node to stage goes first
    String first = fleet.invariants.cordonOrder().get(0);
    assertThat(degraded.getMessage())
        .startsWith(
            "halted: a gate of "
                + first
                + " was not set in time (spec.gates); delete its OSNode to retry it");
    assertThat(fleet.osNode(first).getSpec().getReason()).isEqualTo(NodeReasons.GATE_TIMED_OUT);
    assertThat(fleet.osNode(first).getSpec().getMessage())
        .contains("gate " + DRAIN_OK + " not set to \"true\" on the Node within 10s of its cordon");
    fleet.assertForAtLeast(
        Duration.ofSeconds(2),
        "the other node is not started and " + first + " is back in service on its old OS",
        () ->
            fleet.invariants.cordonOrder().equals(List.of(first))
                && fleet.invariants.cordonedByRefitNow().isEmpty());
    assertThat(fleet.invariants.violations()).isEmpty();
  }

  private void awaitProgressingSays(String text) {
    fleet.awaitUntil(
        Duration.ofSeconds(10),
        () -> {
          Condition progressing = fleet.condition("workers", "Progressing");
          return progressing != null && progressing.getMessage().contains(text);
        });
  }

  private void awaitWaitingForGate(String node, NodeState state) {
    fleet.awaitUntil(
        Duration.ofSeconds(40),
        () ->
            fleet.osNode(node) != null
                && fleet.osNode(node).getSpec().getState() == state
                && NodeReasons.WAITING_FOR_GATE.equals(fleet.osNode(node).getSpec().getReason()));
  }

  private Map<String, String> annotations(String node) {
    Map<String, String> annotations =
        fleet.client().nodes().withName(node).get().getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  private void annotate(String node, String key, String value) {
    fleet
        .client()
        .nodes()
        .withName(node)
        .edit(
            (Node n) -> {
              Map<String, String> annotations =
                  n.getMetadata().getAnnotations() == null
                      ? new HashMap<>()
                      : new HashMap<>(n.getMetadata().getAnnotations());
              annotations.put(key, value);
              n.getMetadata().setAnnotations(annotations);
              return n;
            });
  }
}
