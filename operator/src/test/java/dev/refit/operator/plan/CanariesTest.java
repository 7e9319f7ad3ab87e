package dev.refit.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ActionState;
import dev.refit.api.NodeAction;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.OnTimeout;
import dev.refit.api.PolicyReasons;
import dev.refit.api.Selector;
import dev.refit.operator.lifecycle.DrainProgress;
import dev.refit.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The canary phase, round by round: only canaries start until they are updated and soaked, an
 * unhealthy or failed canary halts the rollout whatever the failure budget, and the canaries are
 * the same whichever round (or leader) computes them.
 */
class CanariesTest {

  static final String TARGET = "00000000000b";
  static final String OLD = "00000000000a";
  static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  static final Duration SOAK = Duration.ofMinutes(10);

  /** One node as the test describes it. */
  record N(String name, NodeState state, String reason, Instant since, boolean ready) {
    N(String name, NodeState state) {
      this(name, state, null, NOW.minusSeconds(30), true);
    }
  }

  @Test
  void onlyTheFirstCanariesInRolloutOrderStartWhileTheRestWaits() {
    List<N> fleet = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      fleet.add(new N("w-" + i, NodeState.Staged));
    }
    Round.Result round = Round.round(settings(count(2), 4, 1), inputs(fleet, Map.of()), NOW);

    assertThat(round.plan().granted()).containsExactly("w-1", "w-2");
    assertThat(round.plan().canary().stage()).isEqualTo(Canaries.Stage.UPDATING);
    assertThat(round.plan().canary().nodes()).containsExactly("w-1", "w-2");
    assertThat(round.plan().afterCanaries()).isEqualTo(4);
    assertThat(round.plan().waiting()).as("they wait for the canaries, not for a slot").isEmpty();
  }

  @Test
  void nodesAlreadyOnTheTargetAreNotCanariesAndSkippedOnesGiveTheirPlace() {
    List<N> fleet =
        List.of(
            new N("w-1", NodeState.UpToDate),
            new N("w-2", NodeState.Skipped, NodeReasons.DRAIN_TIMED_OUT, NOW, true),
            new N("w-3", NodeState.Staged),
            new N("w-4", NodeState.Staged));
    Round.Result round = Round.round(settings(count(1), 2, 1), inputs(fleet, Map.of()), NOW);

    assertThat(round.plan().canary().nodes()).containsExactly("w-3");
    assertThat(round.plan().granted()).containsExactly("w-3");
  }

  @Test
  void theRestWaitsForTheSoakCountedFromTheLastCanaryUpdateThenStarts() {
    Instant lastUpdate = NOW.minusSeconds(60);
    List<N> fleet =
        List.of(
            new N("w-1", NodeState.UpToDate, NodeReasons.UPDATED, NOW.minusSeconds(300), true),
            new N("w-2", NodeState.UpToDate, NodeReasons.UPDATED, lastUpdate, true),
            new N("w-3", NodeState.Staged));

    Round.Result soaking = Round.round(settings(count(2), 2, 1), inputs(fleet, Map.of()), NOW);
    assertThat(soaking.plan().canary().stage()).isEqualTo(Canaries.Stage.SOAKING);
    assertThat(soaking.plan().canary().soakEnds()).isEqualTo(lastUpdate.plus(SOAK));
    assertThat(soaking.plan().granted()).isEmpty();
    assertThat(NextWake.of(soaking, Map.of(), new Windows.State(true, null, null, null), NOW))
        .as("the policy wakes when the soak ends")
        .hasValueSatisfying(
            wake ->
                assertThat(wake)
                    .isBetween(Duration.ofMinutes(9), Duration.ofMinutes(9).plusSeconds(1)));

    Instant after = lastUpdate.plus(SOAK);
    Round.Result passed = Round.round(settings(count(2), 2, 1), inputs(fleet, Map.of()), after);
    assertThat(passed.plan().canary().stage()).isEqualTo(Canaries.Stage.PASSED);
    assertThat(passed.plan().granted()).containsExactly("w-3");
  }

  @Test
  void aCanaryNotReadyDuringTheSoakFailsAndHaltsTheRolloutWhateverTheBudget() {
    List<N> fleet =
        List.of(
            new N("w-1", NodeState.UpToDate, NodeReasons.UPDATED, NOW.minusSeconds(60), false),
            new N("w-2", NodeState.Staged),
            new N("w-3", NodeState.Staged));
    Round.Result round = Round.round(settings(count(1), 2, 10), inputs(fleet, Map.of()), NOW);

    Round.NodeResult canary = round.nodes().get(0);
    assertThat(canary.last().state()).isEqualTo(NodeState.Failed);
    assertThat(canary.last().reason()).isEqualTo(NodeReasons.CANARY_UNHEALTHY);
    assertThat(canary.last().message()).contains("NotReady");
    assertThat(canary.changed()).as("its OSNode records the failure").isTrue();
    assertThat(round.plan().halted()).isTrue();
    assertThat(round.plan().halt().reason()).isEqualTo(PolicyReasons.CANARY_FAILED);
    assertThat(round.plan().halt().message()).contains("canary w-1 failed");
    assertThat(round.plan().granted()).isEmpty();
  }

  @Test
  void aCanaryWhosePodsAreNotReadyDuringTheSoakFails() {
    List<N> fleet =
        List.of(
            new N("w-1", NodeState.UpToDate, NodeReasons.UPDATED, NOW.minusSeconds(60), true),
            new N("w-2", NodeState.Staged));
    Round.Result round =
        Round.round(settings(count(1), 1, 10), inputs(fleet, Map.of("w-1", false)), NOW);

    assertThat(round.nodes().get(0).last().reason()).isEqualTo(NodeReasons.CANARY_UNHEALTHY);
    assertThat(round.nodes().get(0).last().message()).contains("podSelector");
    assertThat(round.plan().halted()).isTrue();
  }

  @Test
  void aCanaryThatFailsItsUpdateHaltsThoughTheBudgetAllowsMore() {
    List<N> fleet =
        List.of(
            new N("w-1", NodeState.Failed, NodeReasons.READY_TIMEOUT, NOW, true),
            new N("w-2", NodeState.Staged));
    Round.Result round = Round.round(settings(count(1), 1, 5), inputs(fleet, Map.of()), NOW);

    assertThat(round.plan().halt().reason()).isEqualTo(PolicyReasons.CANARY_FAILED);
    assertThat(round.plan().halt().message()).contains("ReadyTimeout");
    assertThat(round.plan().granted()).isEmpty();
  }

  @Test
  void afterThePhaseAnUnhealthyCanaryIsAnOrdinaryNode() {
    List<N> fleet =
        List.of(
            new N(
                "w-1",
                NodeState.UpToDate,
                NodeReasons.UPDATED,
                NOW.minus(SOAK.plusSeconds(1)),
                false),
            new N("w-2", NodeState.Staged),
            new N("w-3", NodeState.Staged));
    Round.Result round = Round.round(settings(count(1), 2, 1), inputs(fleet, Map.of()), NOW);

    assertThat(round.nodes().get(0).last().state()).isEqualTo(NodeState.UpToDate);
    assertThat(round.plan().canary().stage()).isEqualTo(Canaries.Stage.PASSED);
    // w-1 is NotReady: it holds one of the two slots
    assertThat(round.plan().granted()).containsExactly("w-2");
  }

  @Test
  void canariesBySelectorAreEverySelectedNodeAndASelectorMatchingNoneHoldsTheRollout() {
    List<N> fleet =
        List.of(
            new N("w-1", NodeState.Staged),
            new N("w-2", NodeState.Staged),
            new N("w-3", NodeState.Staged));
    Map<String, Map<String, String>> labels = Map.of("w-2", Map.of("canary", "yes"));

    Round.Result selected =
        Round.round(
            settings(selector(Map.of("canary", "yes")), 3, 1),
            inputs(fleet, Map.of(), labels),
            NOW);
    assertThat(selected.plan().canary().nodes()).containsExactly("w-2");
    assertThat(selected.plan().granted()).containsExactly("w-2");

    Round.Result none =
        Round.round(
            settings(selector(Map.of("canary", "elsewhere")), 3, 1),
            inputs(fleet, Map.of(), labels),
            NOW);
    assertThat(none.plan().canary().stage()).isEqualTo(Canaries.Stage.NONE_SELECTED);
    assertThat(none.plan().hold()).contains("selects none of the policy's 3 nodes");
    assertThat(none.plan().granted()).isEmpty();
  }

  @Test
  void aCanarySkippedByItsDrainTimeoutHaltsWhenChosenBySelector() {
    List<N> fleet =
        List.of(
            new N("w-1", NodeState.Skipped, NodeReasons.DRAIN_TIMED_OUT, NOW, true),
            new N("w-2", NodeState.Staged));
    Round.Result round =
        Round.round(
            settings(selector(Map.of("canary", "yes")), 1, 1),
            inputs(fleet, Map.of(), Map.of("w-1", Map.of("canary", "yes"))),
            NOW);

    assertThat(round.plan().halt().message()).contains("canary w-1 was skipped");
    assertThat(round.plan().granted()).isEmpty();
  }

  @Test
  void withoutCanariesThereIsNoPhase() {
    Round.Result round =
        Round.round(
            settings(null, 1, 1), inputs(List.of(new N("w-1", NodeState.Staged)), Map.of()), NOW);
    assertThat(round.plan().canary()).isNull();
    assertThat(round.plan().granted()).containsExactly("w-1");
  }

  static Canaries.Settings count(int count) {
    return new Canaries.Settings(count, null, SOAK);
  }

  static Canaries.Settings selector(Map<String, String> labels) {
    return new Canaries.Settings(null, Selector.matching(labels), SOAK);
  }

  static Round.Settings settings(Canaries.Settings canary, int maxUnavailable, int maxFailed) {
    return Round.Settings.builder(TARGET, Fixtures.TIMEOUTS)
        .onTimeout(OnTimeout.Skip)
        .maxUnavailable(maxUnavailable)
        .maxFailed(maxFailed)
        .canary(canary)
        .build();
  }

  static List<Round.NodeInput> inputs(List<N> fleet, Map<String, Boolean> healthy) {
    return inputs(fleet, healthy, Map.of());
  }

  static List<Round.NodeInput> inputs(
      List<N> fleet, Map<String, Boolean> healthy, Map<String, Map<String, String>> labels) {
    return fleet.stream()
        .map(
            n ->
                input(
                    n,
                    healthy.getOrDefault(n.name(), true),
                    labels.getOrDefault(n.name(), Map.of())))
        .toList();
  }

  private static Round.NodeInput input(N n, boolean healthy, Map<String, String> labels) {
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(n.name())
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withUnschedulable(false)
            .endSpec()
            .withNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus(n.ready() ? "True" : "False")
            .endCondition()
            .withNewNodeInfo()
            .withBootID("boot")
            .endNodeInfo()
            .endStatus()
            .build();
    OSNode osNode = new OSNode();
    osNode.getMetadata().setName(n.name());
    OSNodeSpec spec = new OSNodeSpec();
    spec.setPolicy("p");
    spec.setDesiredRevision(TARGET);
    spec.setState(n.state());
    spec.setReason(n.reason());
    spec.setStateSince(n.since().toString());
    spec.setAction(n.state() == NodeState.UpToDate ? NodeAction.None : NodeAction.Stage);
    spec.setActionId(n.state() == NodeState.UpToDate ? null : TARGET + "-stage-0");
    osNode.setSpec(spec);
    OSNodeStatus status = new OSNodeStatus();
    boolean current = n.state() == NodeState.UpToDate;
    status.setCurrentRevision(current ? TARGET : OLD);
    status.setStagedRevision(current ? null : TARGET);
    status.setObservedActionId(spec.getActionId());
    status.setActionState(ActionState.Succeeded);
    osNode.setStatus(status);
    return new Round.NodeInput(node, osNode, DrainProgress.NOT_RUNNING, healthy);
  }
}
