package dev.refit.testing.invariants;

import static dev.refit.testing.invariants.Fixtures.node;
import static dev.refit.testing.invariants.Fixtures.pod;
import static dev.refit.testing.invariants.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.testing.EvictionDecision;
import dev.refit.testing.EvictionDecision.Outcome;
import dev.refit.testing.invariants.Fixtures.Cordon;
import dev.refit.testing.invariants.Fixtures.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoDoubleDrainTest {

  private final ManualClock clock = new ManualClock();
  private final List<EvictionDecision> log = new ArrayList<>();
  private final Invariants invariants =
      new Invariants(List.of(new NoDoubleDrain(() -> log)), clock);

  private void drainEpisode(String pod, Outcome outcome) {
    invariants.pod(pod(pod, "a"));
    invariants.node(node("a", Cordon.REFIT, true));
    clock.advance(Duration.ofSeconds(1));
    log.add(new EvictionDecision(clock.instant(), "shop", pod, null, outcome, ""));
    clock.advance(Duration.ofSeconds(5));
    invariants.node(node("a", Cordon.NONE, true));
    clock.advance(Duration.ofSeconds(5));
  }

  @Test
  void aNodeDrainedTwiceForOneTargetIsCaught() {
    invariants.policy(policy("p", "p", "2.0", 1));
    invariants.node(node("a", Cordon.NONE, true));
    drainEpisode("web-1", Outcome.ALLOWED);
    drainEpisode("web-2", Outcome.BLOCKED); // cordoned again, but nothing was evicted
    assertThat(invariants.atEnd()).isEmpty();

    drainEpisode("web-3", Outcome.ALLOWED);

    assertThat(invariants.atEnd())
        .singleElement()
        .hasToString("noDoubleDrain a: drained a second time for target 2.0");
  }

  @Test
  void aNewTargetOrARetryAfterThePersonDeletedTheOsNodeMayDrainAgain() {
    invariants.policy(policy("p", "p", "2.0", 1));
    invariants.node(node("a", Cordon.NONE, true));
    drainEpisode("web-1", Outcome.ALLOWED);
    invariants.osNodeDeleted("a");
    drainEpisode("web-2", Outcome.ALLOWED);
    invariants.policy(policy("p", "p", "3.0", 1));
    drainEpisode("web-3", Outcome.ALLOWED);

    assertThat(invariants.atEnd()).isEmpty();
  }

  /**
   * Chaos seed 20: Refit cordoned wa-5 for the old target, but the watch saw the edit to the new
   * target 0.2 s before it saw the cordon; the target change sent the node back (cordon lifted),
   * and it was drained again for the new target. That is one drain per target.
   */
  @Test
  void aCordonSeenJustAfterANewTargetBelongsToTheOldOne() {
    invariants.policy(policy("p", "p", "1.0", 1));
    invariants.node(node("a", Cordon.NONE, true));
    clock.advance(Duration.ofSeconds(5));
    invariants.policy(policy("p", "p", "2.0", 1));
    clock.advance(Duration.ofMillis(200));
    drainEpisode("web-1", Outcome.ALLOWED);
    drainEpisode("web-2", Outcome.ALLOWED);

    assertThat(invariants.atEnd()).isEmpty();

    drainEpisode("web-3", Outcome.ALLOWED);
    assertThat(invariants.atEnd())
        .singleElement()
        .hasToString("noDoubleDrain a: drained a second time for target 2.0");
  }

  @Test
  void aTargetEditedAwayAndBackResetsTheNode() {
    invariants.policy(policy("p", "p", "2.0", 1));
    invariants.node(node("a", Cordon.NONE, true));
    drainEpisode("web-1", Outcome.ALLOWED);
    invariants.policy(policy("p", "p", "3.0", 1));
    clock.advance(Duration.ofSeconds(5));
    invariants.policy(policy("p", "p", "2.0", 1));
    clock.advance(Duration.ofSeconds(5));
    drainEpisode("web-2", Outcome.ALLOWED);

    assertThat(invariants.atEnd()).isEmpty();
  }
}
