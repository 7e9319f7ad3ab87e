package dev.refit.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.PolicyReasons;
import dev.refit.operator.plan.Planner.Candidate;
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
  void aLaterGroupWaitsUntilEveryNodeOfTheEarlierGroupsIsDone() {
    List<Candidate> fleet =
        List.of(
            new Candidate("a1", NodeState.UpToDate, null, true, false, "0/a", false),
            new Candidate("a2", NodeState.Staging, null, true, false, "0/a", false),
            new Candidate("b1", NodeState.Staged, null, true, false, "0/b", false),
            new Candidate("cp", NodeState.Staged, null, true, false, "1/a", false));
    assertThat(Planner.plan(fleet, 3, 1, null).granted()).isEmpty();

    List<Candidate> zoneADone =
        List.of(
            new Candidate("a1", NodeState.UpToDate, null, true, false, "0/a", false),
            new Candidate("a2", NodeState.Failed, "ApplyFailed", true, false, "0/a", false),
            new Candidate("b1", NodeState.Staged, null, true, false, "0/b", false),
            new Candidate("cp", NodeState.Staged, null, true, false, "1/a", false));
    assertThat(Planner.plan(zoneADone, 3, 5, null).granted()).containsExactly("b1");
  }

  @Test
  void aSoakingNodeKeepsItsSlot() {
    List<Candidate> fleet =
        List.of(
            new Candidate("a", NodeState.UpToDate, "Updated", true, false, "", true), staged("b"));
    assertThat(Planner.plan(fleet, 1, 1, null).granted()).isEmpty();
    assertThat(Planner.plan(fleet, 2, 1, null).granted()).containsExactly("b");
  }
}
