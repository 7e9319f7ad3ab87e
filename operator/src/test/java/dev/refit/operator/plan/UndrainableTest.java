package dev.refit.operator.plan;

import static dev.refit.operator.plan.CanariesTest.NOW;
import static dev.refit.operator.plan.CanariesTest.inputs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OnTimeout;
import dev.refit.api.PolicyReasons;
import dev.refit.operator.lifecycle.Decision;
import dev.refit.operator.lifecycle.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A staged node whose drain could never finish (a budget on one of its pods allows no eviction even
 * with all its pods healthy) is handled as drain.onTimeout says before it is cordoned, and its slot
 * goes to the next node.
 */
class UndrainableTest {

  private static final String BUDGET =
      "PDB shop/solo (pod shop/solo-0), which can never allow an eviction (minAvailable 1 with 1"
          + " pod)";

  private static final List<CanariesTest.N> FLEET =
      List.of(
          new CanariesTest.N("w-1", NodeState.Staged), new CanariesTest.N("w-2", NodeState.Staged));

  @Test
  void underHaltTheNodeFailsUncordonedNamingTheBudgetAndTheRolloutHalts() {
    Round.Result round = round(OnTimeout.Halt, 5);

    Round.NodeResult w1 = round.nodes().get(0);
    assertThat(w1.steps()).extracting(Decision::state).doesNotContain(NodeState.Cordoned);
    assertThat(w1.last().state()).isEqualTo(NodeState.Failed);
    assertThat(w1.last().reason()).isEqualTo(NodeReasons.UNSATISFIABLE_BUDGET);
    assertThat(w1.last().message())
        .contains("not cordoned: its drain could never finish: " + BUDGET)
        .contains("rollout halted (drain.onTimeout: Halt)");
    assertThat(w1.last().outcome()).isEqualTo(Outcome.FAILED);
    assertThat(w1.last().cordon()).isNotEqualTo(Decision.CordonIntent.CORDONED);
    assertThat(w1.changed()).as("its OSNode records it").isTrue();
    assertThat(round.plan().halt().reason()).isEqualTo(PolicyReasons.UNSATISFIABLE_BUDGET);
    assertThat(round.plan().halt().message()).contains("w-1 was not cordoned");
    assertThat(round.plan().granted()).isEmpty();
  }

  @Test
  void underSkipTheNodeIsSkippedUncordonedAndItsSlotGoesToTheNext() {
    Round.Result round = round(OnTimeout.Skip, 1);

    Round.NodeResult w1 = round.nodes().get(0);
    assertThat(w1.steps()).extracting(Decision::state).doesNotContain(NodeState.Cordoned);
    assertThat(w1.last().state()).isEqualTo(NodeState.Skipped);
    assertThat(w1.last().reason()).isEqualTo(NodeReasons.UNSATISFIABLE_BUDGET);
    assertThat(w1.last().message()).contains(BUDGET).endsWith("skipped (drain.onTimeout: Skip)");
    assertThat(w1.last().outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(round.plan().halted()).isFalse();
    assertThat(round.plan().granted()).containsExactly("w-2");
    assertThat(round.nodes().get(1).cordonsNow()).isTrue();
  }

  @Test
  void underForceTheNodeIsCordonedAndDrainedAsUsual() {
    Round.Result round = round(OnTimeout.Force, 1);

    assertThat(round.plan().granted()).containsExactly("w-1");
    assertThat(round.nodes().get(0).cordonsNow()).isTrue();
  }

  @Test
  void withoutTheCheckTheFirstNodeIsCordoned() {
    Round.Result round =
        Round.round(settings(OnTimeout.Halt), inputs(FLEET, Map.of()), NOW, Map.of());

    assertThat(round.plan().granted()).containsExactly("w-1");
    assertThat(round.nodes().get(0).cordonsNow()).isTrue();
    assertThat(round.nodes().get(1).cordonsNow()).isFalse();
  }

  @Test
  void aNodeThatFinishesStagingInTheRoundThatCordonsItIsCheckedToo() {
    List<CanariesTest.N> fleet =
        List.of(
            new CanariesTest.N("w-1", NodeState.Staging),
            new CanariesTest.N("w-2", NodeState.Staged));

    Round.Result unchecked =
        Round.round(settings(OnTimeout.Skip), inputs(fleet, Map.of()), NOW, Map.of());
    assertThat(unchecked.nodes().get(0).cordonsNow()).isTrue();

    Round.Result checked =
        Round.round(settings(OnTimeout.Skip), inputs(fleet, Map.of()), NOW, Map.of("w-1", BUDGET));
    assertThat(checked.nodes().get(0).last().state()).isEqualTo(NodeState.Skipped);
    assertThat(checked.nodes().get(0).steps())
        .extracting(Decision::state)
        .startsWith(NodeState.Staged)
        .doesNotContain(NodeState.Cordoned);
    assertThat(checked.plan().granted()).containsExactly("w-2");
  }

  private static Round.Result round(OnTimeout onTimeout, int maxFailed) {
    Round.Settings settings = settings(onTimeout).toBuilder().maxFailed(maxFailed).build();
    return Round.round(settings, inputs(FLEET, Map.of()), NOW, Map.of("w-1", BUDGET));
  }

  private static Round.Settings settings(OnTimeout onTimeout) {
    return CanariesTest.settings(null, 1, 1).toBuilder().onTimeout(onTimeout).build();
  }
}
