package dev.refit.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.PolicyReasons;
import dev.refit.operator.plan.Planner.Candidate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {

  private static Candidate staged(String name) {
    return new Candidate(name, NodeState.Staged, null, true, false);
  }

  @Test
  void oneNodeAtATimeInNameOrder() {
    Plan plan = Planner.plan(List.of(staged("b"), staged("a"), staged("c")), 1, 1, null);
    assertThat(plan.granted()).containsExactly("a");
    assertThat(plan.waiting()).containsExactly("b", "c");
  }

  @Test
  void nodesAlreadyUnavailableForAnyReasonTakeSlots() {
    List<Candidate> fleet =
        List.of(
            staged("a"),
            staged("b"),
            staged("c"),
            new Candidate("down", NodeState.UpToDate, null, false, false),
            new Candidate("cordoned-by-someone", NodeState.UpToDate, null, true, true),
            new Candidate("rebooting", NodeState.Rebooting, null, false, true));
    assertThat(Planner.plan(fleet, 3, 1, null).granted()).isEmpty();
    assertThat(Planner.plan(fleet, 4, 1, null).granted()).containsExactly("a");
    assertThat(Planner.plan(fleet, 4, 1, null).unavailable()).isEqualTo(3);
  }

  @Test
  void aStagedNodeThatIsNotReadyOrCordonedBySomeoneElseIsPassedOver() {
    List<Candidate> fleet =
        List.of(
            new Candidate("a", NodeState.Staged, null, false, false),
            new Candidate("b", NodeState.Staged, null, true, true),
            staged("c"));
    assertThat(Planner.plan(fleet, 3, 1, null).granted()).containsExactly("c");
  }

  @Test
  void theFailureBudgetHaltsTheRolloutAndSaysWhy() {
    List<Candidate> fleet =
        List.of(
            new Candidate("w1", NodeState.Failed, NodeReasons.REBOOT_TIMEOUT, false, true),
            new Candidate("w2", NodeState.Failed, NodeReasons.READY_TIMEOUT, false, true),
            staged("w3"));
    Plan plan = Planner.plan(fleet, 5, 2, null);
    assertThat(plan.halted()).isTrue();
    assertThat(plan.granted()).isEmpty();
    assertThat(plan.halt())
        .isEqualTo(
            new Halt(
                PolicyReasons.FAILURE_BUDGET_EXHAUSTED,
                "halted: 2 of 2 allowed failures (w1: RebootTimeout, w2: ReadyTimeout)"));
  }

  @Test
  void aDrainTimeoutUnderHaltStopsEverythingAtOnce() {
    List<Candidate> fleet =
        List.of(
            new Candidate("w1", NodeState.Failed, NodeReasons.DRAIN_TIMED_OUT, true, false),
            staged("w2"));
    Plan plan = Planner.plan(fleet, 5, 10, null);
    assertThat(plan.halt().reason()).isEqualTo(PolicyReasons.DRAIN_TIMED_OUT);
    assertThat(plan.halt().message()).contains("the drain of w1 timed out (onTimeout: Halt)");
    assertThat(plan.granted()).isEmpty();
  }

  @Test
  void aHoldStartsNothing() {
    Plan plan = Planner.plan(List.of(staged("a")), 1, 1, "paused by spec.rollout.paused");
    assertThat(plan.granted()).isEmpty();
    assertThat(plan.halted()).isFalse();
  }

  @Test
  void earlierGroupsGetSlotsFirstAmongNodesThatCanStart() {
    List<Candidate> fleet =
        List.of(
            new Candidate("b1", NodeState.Staged, null, true, false, "0/b", null),
            new Candidate("a2", NodeState.Staged, null, true, false, "0/a", null),
            new Candidate("cp", NodeState.Staged, null, true, false, "1/a", null),
            new Candidate("a1", NodeState.Staged, null, true, false, "0/a", null));
    Plan plan = Planner.plan(fleet, 2, 1, null);
    assertThat(plan.granted()).containsExactly("a1", "a2");
    assertThat(plan.waiting()).containsExactly("b1", "cp");
    assertThat(Planner.plan(fleet, 3, 1, null).granted()).containsExactly("a1", "a2", "b1");
  }

  @Test
  void aNodeThatCannotStartDoesNotHoldTheSlotsOfLaterGroups() {
    List<Candidate> fleet =
        List.of(
            new Candidate(
                "a1", NodeState.Pending, NodeReasons.STAGE_RETRY, true, false, "0/a", null),
            new Candidate("a2", NodeState.Staging, null, true, false, "0/a", null),
            new Candidate("a3", NodeState.Failed, "StageFailed", true, false, "0/a", null),
            new Candidate("a4", NodeState.Staged, null, true, true, "0/a", null),
            new Candidate("b1", NodeState.Staged, null, true, false, "0/b", null),
            new Candidate("cp", NodeState.Staged, null, true, false, "1/a", null));
    Plan plan = Planner.plan(fleet, 3, 5, null);
    assertThat(plan.granted()).containsExactly("b1", "cp");
    assertThat(plan.cannotStart())
        .containsExactly(new Planner.Named("a4", "cordoned by someone else", false));
  }

  @Test
  void theSlotHoldersAreNamedRefitsOwnFirst() {
    List<Candidate> fleet =
        List.of(
            new Candidate("w-12", NodeState.Staged, null, false, false),
            new Candidate("w-11", NodeState.UpToDate, null, true, true),
            new Candidate("w-3", NodeState.Draining, null, true, true, true, "", null),
            new Candidate(
                "w-9", NodeState.Failed, NodeReasons.READY_TIMEOUT, true, true, true, "", null),
            staged("w-20"));
    Plan plan = Planner.plan(fleet, 4, 5, null);
    assertThat(plan.holders())
        .containsExactly(
            new Planner.Named("w-3", "Draining", true),
            new Planner.Named("w-9", "failed (ReadyTimeout), kept cordoned by Refit", false),
            new Planner.Named("w-11", "cordoned by someone else", false),
            new Planner.Named("w-12", "NotReady", false));
    assertThat(plan.granted()).isEmpty();
    assertThat(plan.waiting()).containsExactly("w-20");
    assertThat(plan.freeAfterGrants()).isZero();
  }

  @Test
  void aSoakingNodeKeepsItsSlot() {
    Instant until = Instant.parse("2026-12-05T01:10:00Z");
    List<Candidate> fleet =
        List.of(
            new Candidate("a", NodeState.UpToDate, "Updated", true, false, "", until), staged("b"));
    assertThat(Planner.plan(fleet, 1, 1, null).granted()).isEmpty();
    assertThat(Planner.plan(fleet, 1, 1, null).holders())
        .containsExactly(new Planner.Named("a", "soaking until 2026-12-05T01:10:00Z", true));
    assertThat(Planner.plan(fleet, 2, 1, null).granted()).containsExactly("b");
  }
}
