package dev.refit.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.operator.plan.Planner.Candidate;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The planner over random fleets in any order, with any groups: it never leaves a slot free while a
 * node that could start waits, never grants more than the free slots, and among the nodes that can
 * start it always prefers earlier groups.
 */
class PlannerPropertiesTest {

  record Shape(NodeState state, boolean ready, int cordon, int group, boolean refused) {}

  @Provide
  Arbitrary<List<Shape>> fleets() {
    Arbitrary<Shape> shape =
        Combinators.combine(
                Arbitraries.of(NodeState.class),
                Arbitraries.of(true, true, true, false),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 3),
                Arbitraries.of(false, false, false, true))
            .as(Shape::new);
    return shape.list().ofMinSize(1).ofMaxSize(40);
  }

  static List<Candidate> candidates(List<Shape> fleet) {
    return IntStream.range(0, fleet.size())
        .mapToObj(
            i -> {
              Shape s = fleet.get(i);
              return new Candidate(
                  "n-" + i,
                  s.state(),
                  s.refused() ? NodeReasons.HOST_REFUSED : null,
                  s.ready(),
                  s.cordon() > 0 || s.state().cordoned(),
                  s.cordon() == 1 || s.state().cordoned(),
                  "0/zone-" + s.group(),
                  s.state() == NodeState.UpToDate && s.group() == 3
                      ? Instant.parse("2026-12-05T01:00:00Z")
                      : null);
            })
        .toList();
  }

  @Property(tries = 1500)
  void aFreeSlotIsNeverLeftEmptyWhileANodeThatCanStartWaits(
      @ForAll("fleets") List<Shape> fleet, @ForAll @IntRange(min = 1, max = 10) int limit) {
    List<Candidate> nodes = candidates(fleet);
    Plan plan = Planner.plan(nodes, limit, 100, null);
    long unavailable = nodes.stream().filter(Candidate::unavailable).count();
    assertThat(plan.unavailable()).isEqualTo(unavailable);
    assertThat(plan.granted().size()).isLessThanOrEqualTo((int) Math.max(0, limit - unavailable));
    List<Candidate> couldStart = nodes.stream().filter(Candidate::canStart).toList();
    assertThat(plan.granted())
        .allSatisfy(n -> assertThat(couldStart).anyMatch(c -> c.name().equals(n)));
    if (plan.freeAfterGrants() > 0) {
      assertThat(plan.waiting()).isEmpty();
      assertThat(plan.granted()).hasSize(couldStart.size());
    }
    assertThat(plan.granted().size() + plan.waiting().size()).isEqualTo(couldStart.size());
  }

  @Property(tries = 1500)
  void everyGrantedNodeComesBeforeEveryWaitingOneInRolloutOrder(
      @ForAll("fleets") List<Shape> fleet, @ForAll @IntRange(min = 1, max = 10) int limit) {
    List<Candidate> nodes = candidates(fleet);
    Plan plan = Planner.plan(nodes, limit, 100, null);
    Comparator<String> order =
        Comparator.comparing(
                (String n) ->
                    nodes.stream()
                        .filter(c -> c.name().equals(n))
                        .findFirst()
                        .orElseThrow()
                        .group(),
                NodeOrder.NATURAL)
            .thenComparing(NodeOrder.NATURAL);
    for (String granted : plan.granted()) {
      for (String waiting : plan.waiting()) {
        assertThat(order.compare(granted, waiting)).isNegative();
      }
    }
  }

  @Property(tries = 500)
  void aHeldOrHaltedPlanGrantsNothingButStillNamesEveryHolder(
      @ForAll("fleets") List<Shape> fleet, @ForAll @IntRange(min = 1, max = 10) int limit) {
    List<Candidate> nodes = candidates(fleet);
    Plan held = Planner.plan(nodes, limit, 100, "paused by spec.rollout.paused");
    assertThat(held.granted()).isEmpty();
    assertThat(held.holders()).hasSize(held.unavailable());
    Plan halted = Planner.plan(nodes, limit, 1, null);
    if (nodes.stream().anyMatch(n -> n.state() == NodeState.Failed)) {
      assertThat(halted.granted()).isEmpty();
    }
  }
}
