package dev.refit.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ActionState;
import dev.refit.api.NodeAction;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.RefitApi;
import dev.refit.operator.lifecycle.Decision;
import dev.refit.operator.lifecycle.DrainProgress;
import dev.refit.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Rollout rounds over random fleets: nodes in any state, Ready or not, cordoned by Refit, by
 * someone else or not at all, with agents reporting anything. Whatever the fleet, a round never
 * takes the fleet past maxUnavailable, never starts a node without a slot, and starts nothing while
 * halted or held.
 */
class RoundPropertiesTest {

  static final String TARGET = "00000000000b";
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  record Shape(
      NodeState state, boolean ready, int cordon, boolean stagedTarget, boolean hasOsNode) {}

  @Provide
  Arbitrary<List<Shape>> fleets() {
    Arbitrary<Shape> shape =
        Combinators.combine(
                Arbitraries.of(NodeState.class),
                Arbitraries.of(true, true, true, false),
                Arbitraries.integers().between(0, 2),
                Arbitraries.of(true, false),
                Arbitraries.of(true, true, false))
            .as(Shape::new);
    return shape.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 1500)
  void aRoundNeverExceedsMaxUnavailableAndStartsOnlyGrantedNodes(
      @ForAll("fleets") List<Shape> fleet,
      @ForAll @IntRange(min = 1, max = 6) int maxUnavailable,
      @ForAll @IntRange(min = 1, max = 4) int maxFailed,
      @ForAll boolean held) {
    List<Round.NodeInput> inputs = new ArrayList<>();
    for (int i = 0; i < fleet.size(); i++) {
      inputs.add(input("node-" + i, fleet.get(i)));
    }
    Round.Settings settings =
        Round.Settings.builder(TARGET, Fixtures.TIMEOUTS)
            .maxUnavailable(maxUnavailable)
            .maxFailed(maxFailed)
            .hold(held ? "paused" : null)
            .build();

    Round.Result round = Round.round(settings, inputs, NOW);
    Plan plan = round.plan();

    int unavailableAfter = 0;
    for (Round.NodeResult node : round.nodes()) {
      NodeState before = node.facts().state();
      NodeState after = node.last().state();
      boolean enteredSlot = after.occupiesSlot() && !before.occupiesSlot();
      if (enteredSlot) {
        assertThat(plan.granted())
            .as("%s entered %s without a slot", node.name(), after)
            .contains(node.name());
      }
      // a cordon of Refit's that this round lifts is gone once the round is applied
      boolean stillCordoned =
          node.facts().node().unschedulable()
              && !(node.facts().node().cordonedByRefit()
                  && node.last().cordon() == Decision.CordonIntent.UNCORDONED);
      boolean unavailable = after.occupiesSlot() || !node.facts().node().ready() || stillCordoned;
      if (unavailable) {
        unavailableAfter++;
      }
    }
    if (!plan.granted().isEmpty()) {
      assertThat(plan.unavailable() + plan.granted().size()).isLessThanOrEqualTo(maxUnavailable);
      assertThat(unavailableAfter).isLessThanOrEqualTo(maxUnavailable);
    }
    if (plan.halted() || held) {
      assertThat(plan.granted()).isEmpty();
    }
    if (plan.failed() >= maxFailed) {
      assertThat(plan.halted()).isTrue();
    }
    for (String granted : plan.granted()) {
      Round.NodeResult node =
          round.nodes().stream().filter(n -> n.name().equals(granted)).findFirst().orElseThrow();
      assertThat(node.facts().node().ready()).isTrue();
      assertThat(node.facts().node().unschedulable() && !node.facts().node().cordonedByRefit())
          .as("%s is cordoned by someone else", granted)
          .isFalse();
    }
  }

  /**
   * The OSNode of node-0 says Draining, but Refit's cordon never landed (its write failed), and a
   * person cordoned node-1 since: the slot node-0 was given is gone, so it is Staged again and
   * stays in service; with a slot free it is given one again.
   */
  @Example
  void aStartWhoseCordonNeverLandedIsTakenBackWhenItsSlotIsGone() {
    Round.NodeInput unlanded =
        input(
            "node-0",
            new Shape(NodeState.Draining, true, 0, true, true),
            DrainProgress.NOT_RUNNING);
    Round.NodeInput cordonedByAPerson =
        input("node-1", new Shape(NodeState.Staged, true, 2, true, true));
    List<Round.NodeInput> fleet = List.of(unlanded, cordonedByAPerson);

    Round.Result full = Round.round(settings(1), fleet, NOW);
    Round.NodeResult node0 = full.nodes().get(0);
    assertThat(node0.last().state()).isEqualTo(NodeState.Staged);
    assertThat(node0.last().cordon()).isEqualTo(Decision.CordonIntent.UNCORDONED);
    assertThat(node0.changed()).as("its OSNode is written back").isTrue();
    assertThat(full.plan().granted()).isEmpty();

    Round.Result free = Round.round(settings(2), fleet, NOW);
    assertThat(free.plan().granted()).containsExactly("node-0");
    assertThat(free.nodes().get(0).last().state()).isEqualTo(NodeState.Draining);
    assertThat(free.nodes().get(0).last().cordon()).isEqualTo(Decision.CordonIntent.CORDONED);

    // a person lifted Refit's cordon mid-drain: the mark stays, and the drain goes on
    Round.NodeInput liftedByAPerson =
        input(
            "node-0",
            new Shape(NodeState.Draining, true, 0, true, true),
            DrainProgress.NOT_RUNNING);
    liftedByAPerson.node().getMetadata().setAnnotations(Map.of(RefitApi.CORDONED_ANNOTATION, "p"));
    Round.Result marked =
        Round.round(settings(1), List.of(liftedByAPerson, cordonedByAPerson), NOW);
    assertThat(marked.nodes().get(0).last().state()).isEqualTo(NodeState.Draining);
  }

  /**
   * Chaos seed 20: node-0 was given a slot and its OSNode says Draining, but a person cordoned it
   * before Refit's cordon landed, so Refit's cordon was refused (409) and the Node carries the
   * person's cordon without Refit's mark. The start is taken back: the node is Staged again,
   * cordoned by someone else, and is given no slot (and no drain) until the person lifts their
   * cordon.
   */
  @Example
  void aStartWhoseCordonAPersonBeatIsTakenBackAndWaitsForThePerson() {
    Round.NodeInput beaten =
        input(
            "node-0",
            new Shape(NodeState.Draining, true, 2, true, true),
            DrainProgress.NOT_RUNNING);

    Round.Result round = Round.round(settings(2), List.of(beaten), NOW);

    Round.NodeResult node0 = round.nodes().get(0);
    assertThat(node0.last().state()).isEqualTo(NodeState.Staged);
    assertThat(node0.last().drain()).isFalse();
    assertThat(node0.changed()).as("its OSNode is written back").isTrue();
    assertThat(round.plan().granted()).isEmpty();
  }

  private static Round.Settings settings(int maxUnavailable) {
    return Round.Settings.builder(TARGET, Fixtures.TIMEOUTS).maxUnavailable(maxUnavailable).build();
  }

  private static Round.NodeInput input(String name, Shape shape) {
    return input(name, shape, DrainProgress.RUNNING);
  }

  private static Round.NodeInput input(String name, Shape shape, DrainProgress drain) {
    Map<String, String> annotations =
        shape.cordon() == 1 ? Map.of(RefitApi.CORDONED_ANNOTATION, "p") : Map.of();
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .withAnnotations(annotations)
            .endMetadata()
            .withNewSpec()
            .withUnschedulable(shape.cordon() > 0)
            .endSpec()
            .withNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus(shape.ready() ? "True" : "False")
            .endCondition()
            .withNewNodeInfo()
            .withBootID("boot")
            .endNodeInfo()
            .endStatus()
            .build();
    OSNode osNode = null;
    if (shape.hasOsNode()) {
      osNode = new OSNode();
      osNode.getMetadata().setName(name);
      OSNodeSpec spec = new OSNodeSpec();
      spec.setPolicy("p");
      spec.setDesiredRevision(TARGET);
      spec.setState(shape.state());
      spec.setStateSince(NOW.minusSeconds(30).toString());
      spec.setAction(NodeAction.Stage);
      spec.setActionId(TARGET + "-stage-0");
      osNode.setSpec(spec);
      OSNodeStatus status = new OSNodeStatus();
      status.setCurrentRevision("000000000000a");
      status.setStagedRevision(shape.stagedTarget() ? TARGET : null);
      status.setObservedActionId(TARGET + "-stage-0");
      status.setActionState(ActionState.Succeeded);
      osNode.setStatus(status);
    }
    return new Round.NodeInput(node, osNode, drain, true);
  }
}
