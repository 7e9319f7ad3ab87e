package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.SlotHolder;
import dev.refit.api.Slots;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a person reads while the rollout waits for something Refit did not cause: a node someone
 * else cordoned and a NotReady node use up the budget. Status names them, in words and in fields,
 * and the rollout goes on by itself once they are back.
 */
class WaitsIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private Fleet fleet;

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void nodesUnavailableForOtherReasonsAreNamedAsTheHoldersOfTheSlots() {
    fleet = new Fleet().withNodes("w", 6, WORKERS);
    // a person cordoned w-5; w-6 is NotReady
    fleet.cordonByPerson("w-5");
    fleet.nodes.setReady("w-6", false);
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().setMaxUnavailable(new IntOrString(2));
    fleet.apply(policy);

    // every startable node staged: the four that could start wait for the two held slots
    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () -> {
          OSUpdatePolicy seen = fleet.policy("workers");
          String line = seen.getStatus() == null ? null : seen.getStatus().getWaitingFor();
          return line != null && line.startsWith("4 staged nodes wait for a slot");
        });
    Condition waiting = fleet.condition("workers", "Progressing");
    assertThat(waiting.getReason()).isEqualTo("WaitingForSlots");
    assertThat(waiting.getStatus()).isEqualTo(Condition.Status.True);
    assertThat(waiting.getMessage())
        .startsWith(
            "4 staged nodes wait for a slot (next: w-1): 2 of 2 held by w-5 (cordoned by someone"
                + " else), w-6 (NotReady)")
        .endsWith("; 0 of 6 updated");
    OSUpdatePolicy seen = fleet.policy("workers");
    assertThat(seen.getStatus().getWaitingFor())
        .isEqualTo(waiting.getMessage().replace("; 0 of 6 updated", ""));
    Slots slots = seen.getStatus().getSlots();
    assertThat(slots.getLimit()).isEqualTo(2);
    assertThat(slots.getUnavailable()).isEqualTo(2);
    assertThat(slots.getFree()).isZero();
    assertThat(slots.getHolders())
        .containsExactly(
            new SlotHolder("w-5", "cordoned by someone else"), new SlotHolder("w-6", "NotReady"));
    // nothing is disrupted while the two hold the slots
    fleet.assertForAtLeast(
        Duration.ofSeconds(1),
        "no node cordoned while the two hold the slots",
        () -> fleet.invariants.cordonOrder().isEmpty());

    // w-6 comes back: one slot frees and the rollout goes on by itself, one node at a time
    fleet.nodes.setReady("w-6", true);
    fleet.awaitUntil(
        Duration.ofSeconds(60),
        () -> fleet.policy("workers").getStatus().getNodes().getUpdated() == 5);
    assertThat(fleet.invariants.maxUnavailable()).isLessThanOrEqualTo(2);
    assertThat(fleet.invariants.violations()).isEmpty();
    // the person's cordon is never lifted, and w-5 is never started while it holds
    assertThat(fleet.osNode("w-5").getSpec().getState()).isEqualTo(NodeState.Staged);
    assertThat(fleet.reason("workers", "Progressing")).isEqualTo("WaitingForNodes");
    assertThat(fleet.policy("workers").getStatus().getWaitingFor())
        .isEqualTo("staged but cannot start: w-5 (cordoned by someone else)");
  }

  @Test
  void aRoundWhoseWritesTheApiRefusesStillReportsWhatItDecidedAndWhatWasRefused() {
    fleet = new Fleet().withNodes("w", 3, WORKERS);
    // the operator may not patch w-2's Node (a role without the rule, say): every round that
    // cordons it fails
    fleet.api.forbid(
        r ->
            r.userAgent() != null
                && r.userAgent().startsWith("refit-operator")
                && r.resource().equals("nodes")
                && "w-2".equals(r.name())
                && r.method().equals("PATCH"));
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().setMaxUnavailable(new IntOrString(3));
    // paused until all three are staged, so one round starts them together
    policy.getSpec().getRollout().setPaused(true);
    fleet.apply(policy);
    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () ->
            java.util.stream.Stream.of("w-1", "w-2", "w-3")
                .allMatch(
                    n ->
                        fleet.osNode(n) != null
                            && fleet.osNode(n).getSpec().getState() == NodeState.Staged));
    fleet.resume("workers");

    // the rounds fail, and the status still says what Refit decided and what the API refused
    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () -> {
          Condition progressing = fleet.condition("workers", "Progressing");
          return progressing != null && progressing.getMessage().contains("refused");
        });
    Condition progressing = fleet.condition("workers", "Progressing");
    assertThat(progressing.getReason()).isEqualTo("RollingOut");
    assertThat(progressing.getMessage())
        .startsWith("updating w-1 (")
        .contains("w-2 (Draining)")
        .endsWith(
            "; the API server refused a write of this round (PATCH /api/v1/nodes/w-2: 403 nodes"
                + " \"w-2\" is forbidden: the client cannot patch it): retrying");

    // the rule is granted: the next retry lands, and the refusal leaves the status
    fleet.api.forbid(null);
    fleet.awaitRolledOut("workers", Duration.ofSeconds(60));
    assertThat(fleet.condition("workers", "Progressing").getMessage()).doesNotContain("refused");
    assertThat(fleet.invariants.violations()).isEmpty();
  }

  @Test
  void aRoundTheApiRefusedRaisesNoEventAndTheNextRoundThatLandsRaisesIt() {
    fleet = new Fleet().withNodes("w", 1, WORKERS);
    // the operator may cordon w-1 but not lift its cordon
    fleet.api.forbid(
        r ->
            r.userAgent() != null
                && r.userAgent().startsWith("refit-operator")
                && r.resource().equals("nodes")
                && r.method().equals("PATCH")
                && r.body().contains("\"unschedulable\":null"));
    fleet.startOperator();
    fleet.apply(Fixtures.policy("workers", WORKERS, "41.20250101.3.0"));

    // the node is updated, but the round that would put it back fails: the status says so, and
    // no Event claims the rollout complete
    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () -> {
          Condition progressing = fleet.condition("workers", "Progressing");
          return progressing != null && progressing.getMessage().contains("refused");
        });
    fleet.assertForAtLeast(
        Duration.ofSeconds(2),
        "no RolloutComplete Event while w-1 stays cordoned",
        () -> fleet.events("workers", e -> "RolloutComplete".equals(e.getReason())).isEmpty());

    fleet.api.forbid(null);
    fleet.awaitRolledOut("workers", Duration.ofSeconds(30));
    fleet.awaitUntil(
        Duration.ofSeconds(10),
        () -> !fleet.events("workers", e -> "RolloutComplete".equals(e.getReason())).isEmpty());
    assertThat(fleet.events("workers", e -> "RolloutComplete".equals(e.getReason()))).hasSize(1);
  }
}
