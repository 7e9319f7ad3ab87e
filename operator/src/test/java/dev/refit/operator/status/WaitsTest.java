package dev.refit.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ActionState;
import dev.refit.api.NodeAction;
import dev.refit.api.NodeCounts;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.PolicyReasons;
import dev.refit.api.RefitApi;
import dev.refit.operator.lifecycle.DrainProgress;
import dev.refit.operator.plan.Blocker;
import dev.refit.operator.plan.Round;
import dev.refit.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the Progressing condition says the rollout waits for, one situation per test. */
class WaitsTest {

  static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
  static final String TARGET = "00000000000b";

  enum Cordon {
    NONE,
    REFIT,
    PERSON
  }

  /** A fleet under construction: nodes in states, then one round over it. */
  static final class FleetOf {
    final List<Round.NodeInput> inputs = new ArrayList<>();
    int maxUnavailable = 1;
    int maxFailed = 5;
    String hold;

    FleetOf node(String name, NodeState state) {
      return node(name, state, true, Cordon.NONE, null, 0);
    }

    FleetOf node(
        String name, NodeState state, boolean ready, Cordon cordon, String reason, int attempts) {
      Node node =
          new NodeBuilder()
              .withNewMetadata()
              .withName(name)
              .withAnnotations(
                  cordon == Cordon.REFIT ? Map.of(RefitApi.CORDONED_ANNOTATION, "p") : Map.of())
              .endMetadata()
              .withNewSpec()
              .withUnschedulable(cordon != Cordon.NONE || state.cordoned())
              .endSpec()
              .withNewStatus()
              .addNewCondition()
              .withType("Ready")
              .withStatus(ready ? "True" : "False")
              .endCondition()
              .withNewNodeInfo()
              .withBootID("boot-1")
              .endNodeInfo()
              .endStatus()
              .build();
      OSNode osNode = new OSNode();
      osNode.getMetadata().setName(name);
      OSNodeSpec spec = new OSNodeSpec();
      spec.setPolicy("p");
      spec.setDesiredRevision(TARGET);
      spec.setState(state);
      spec.setReason(reason);
      spec.setAttempts(attempts == 0 ? null : attempts);
      spec.setStateSince(NOW.minusSeconds(10).toString());
      spec.setAction(state == NodeState.Staging ? NodeAction.Stage : NodeAction.None);
      spec.setActionId(state == NodeState.Staging ? TARGET + "-stage-" + attempts : null);
      osNode.setSpec(spec);
      OSNodeStatus status = new OSNodeStatus();
      status.setCurrentRevision(state == NodeState.UpToDate ? TARGET : "00000000000a");
      status.setStagedRevision(state == NodeState.Staged ? TARGET : null);
      status.setObservedActionId(state == NodeState.Staging ? TARGET + "-stage-" + attempts : null);
      status.setActionState(state == NodeState.Staging ? ActionState.Running : null);
      osNode.setStatus(status);
      inputs.add(
          new Round.NodeInput(
              node,
              osNode,
              state == NodeState.Draining ? DrainProgress.RUNNING : DrainProgress.NOT_RUNNING,
              true));
      return this;
    }

    Waits.Wait wait(Map<String, Blocker> blockers) {
      Round.Result round =
          Round.round(
              Round.Settings.builder(TARGET, Fixtures.TIMEOUTS)
                  .maxUnavailable(maxUnavailable)
                  .maxFailed(maxFailed)
                  .hold(hold)
                  .build(),
              inputs,
              NOW);
      NodeCounts counts = new NodeCounts();
      counts.setTotal(round.nodes().size());
      for (Round.NodeResult n : round.nodes()) {
        switch (n.last().state()) {
          case UpToDate -> counts.setUpdated(counts.getUpdated() + 1);
          case Failed -> counts.setFailed(counts.getFailed() + 1);
          case Skipped -> counts.setSkipped(counts.getSkipped() + 1);
          default -> {}
        }
      }
      return Waits.of(round, counts, false, blockers, NOW);
    }

    Waits.Wait waitFor() {
      return wait(Map.of());
    }
  }

  @Test
  void slotsHeldByNodesRefitDidNotDisruptAreNamed() {
    FleetOf fleet =
        new FleetOf()
            .node("w-1", NodeState.Staged)
            .node("w-2", NodeState.Staged)
            .node("w-11", NodeState.UpToDate, true, Cordon.PERSON, null, 0)
            .node("w-12", NodeState.UpToDate, false, Cordon.NONE, null, 0);
    fleet.maxUnavailable = 2;
    Waits.Wait wait = fleet.waitFor();
    assertThat(wait.reason()).isEqualTo(PolicyReasons.WAITING_FOR_SLOTS);
    assertThat(wait.progressing()).isTrue();
    assertThat(wait.line())
        .isEqualTo(
            "2 staged nodes wait for a slot (next: w-1): 2 of 2 held by w-11 (cordoned by someone"
                + " else), w-12 (NotReady)");
  }

  @Test
  void nodesInFlightAreNamedWithTheirPhaseAndTheQueueBehindThem() {
    FleetOf fleet =
        new FleetOf()
            .node("w-1", NodeState.Draining, true, Cordon.REFIT, null, 0)
            .node("w-2", NodeState.Staged)
            .node("w-3", NodeState.Staged);
    Waits.Wait wait = fleet.waitFor();
    assertThat(wait.reason()).isEqualTo(PolicyReasons.ROLLING_OUT);
    assertThat(wait.line())
        .isEqualTo(
            "updating w-1 (Draining); 2 staged nodes wait for a slot (next: w-2): 1 of 1 held by"
                + " w-1 (Draining)");
  }

  @Test
  void aNodeThisRoundStartsHoldsItsSlotInTheLine() {
    Waits.Wait wait =
        new FleetOf()
            .node("w-1", NodeState.Staged)
            .node("w-2", NodeState.Staged)
            .node("w-3", NodeState.Staged)
            .waitFor();
    assertThat(wait.reason()).isEqualTo(PolicyReasons.ROLLING_OUT);
    assertThat(wait.line())
        .isEqualTo(
            "updating w-1 (Draining); 2 staged nodes wait for a slot (next: w-2): 1 of 1 held by"
                + " w-1 (starting)");
  }

  @Test
  void aDownloadBeingRetriedSaysWhichAttemptAndWhen() {
    Waits.Wait wait =
        new FleetOf()
            .node("w-3", NodeState.Pending, true, Cordon.NONE, NodeReasons.STAGE_RETRY, 1)
            .node("w-4", NodeState.Staging)
            .waitFor();
    assertThat(wait.reason()).isEqualTo(PolicyReasons.STAGING);
    assertThat(wait.line())
        .isEqualTo(
            "1 node staging the update; w-3 retries its download (attempt 2 of 3) at"
                + " 2026-12-05T10:00:20Z");
  }

  @Test
  void stagedNodesThatCannotStartAreNamedWithWhy() {
    Waits.Wait wait =
        new FleetOf()
            .node("w-1", NodeState.Staged, false, Cordon.NONE, null, 0)
            .node("w-2", NodeState.Staged, true, Cordon.PERSON, null, 0)
            .node("w-3", NodeState.UpToDate)
            .waitFor();
    assertThat(wait.reason()).isEqualTo(PolicyReasons.WAITING_FOR_NODES);
    assertThat(wait.line())
        .isEqualTo("staged but cannot start: w-1 (NotReady), w-2 (cordoned by someone else)");
  }

  @Test
  void aHoldSaysWhyNothingStarts() {
    FleetOf fleet = new FleetOf().node("w-1", NodeState.Staged);
    fleet.hold =
        "outside the maintenance windows; the next window opens 2026-12-06T01:00 Europe/Berlin";
    Waits.Wait wait = fleet.waitFor();
    assertThat(wait.reason()).isEqualTo(PolicyReasons.HELD);
    assertThat(wait.progressing()).isFalse();
    assertThat(wait.line()).isEqualTo(fleet.hold);
  }

  @Test
  void aBlockedDrainNamesTheBudgetAndHowLong() {
    Waits.Wait wait =
        new FleetOf()
            .node("w-1", NodeState.Draining, true, Cordon.REFIT, null, 0)
            .wait(
                Map.of(
                    "w-1",
                    new Blocker(
                        "shop/web-0",
                        "DisruptionBudget",
                        "shop/web",
                        NOW.minus(Duration.ofMinutes(4)))));
    assertThat(wait.reason()).isEqualTo(PolicyReasons.DRAIN_BLOCKED);
    assertThat(wait.line())
        .isEqualTo("drain of w-1 blocked by PDB shop/web (pod shop/web-0) for 4m");
  }

  @Test
  void theFailureBudgetSpentSoFarIsShownBeforeItHalts() {
    Waits.Wait wait =
        new FleetOf()
            .node("w-1", NodeState.Failed, true, Cordon.NONE, "ApplyFailed", 0)
            .node("w-2", NodeState.Draining, true, Cordon.REFIT, null, 0)
            .waitFor();
    assertThat(wait.reason()).isEqualTo(PolicyReasons.ROLLING_OUT);
    assertThat(wait.line())
        .isEqualTo("updating w-2 (Draining); failure budget: 1 of 5 allowed failures spent");
  }

  @Test
  void aHaltWaitsForAPersonAndACompleteRolloutForNothing() {
    FleetOf halted =
        new FleetOf().node("w-1", NodeState.Failed, true, Cordon.NONE, "ApplyFailed", 0);
    halted.maxFailed = 1;
    Waits.Wait wait = halted.waitFor();
    assertThat(wait.reason()).isEqualTo(PolicyReasons.HALTED);
    assertThat(wait.line())
        .isEqualTo("a person: halted: 1 of 1 allowed failures (w-1: ApplyFailed)");

    FleetOf finishing =
        new FleetOf()
            .node("w-1", NodeState.Failed, true, Cordon.NONE, "ApplyFailed", 0)
            .node("w-2", NodeState.Draining, true, Cordon.REFIT, null, 0)
            .node("w-3", NodeState.Rebooting, true, Cordon.REFIT, null, 0);
    finishing.maxFailed = 1;
    Waits.Wait stillFinishing = finishing.waitFor();
    assertThat(stillFinishing.reason()).isEqualTo(PolicyReasons.HALTED);
    assertThat(stillFinishing.line())
        .isEqualTo(
            "a person: halted: 1 of 1 allowed failures (w-1: ApplyFailed); no other node starts,"
                + " still finishing: w-2 (Draining), w-3 (Rebooting)");

    Waits.Wait done = new FleetOf().node("w-1", NodeState.UpToDate).waitFor();
    assertThat(done.reason()).isEqualTo(PolicyReasons.COMPLETE);
    assertThat(done.line()).isNull();
  }
}
