package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.sim.NotUpdated.Facts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotUpdatedTest {

  @Test
  void aNodeNoPolicySelectsSaysSo() {
    assertThat(NotUpdated.because(new Facts(List.of(), null, null, null, Map.of())))
        .isEqualTo("never selected by a policy");
  }

  @Test
  void aNodeTwoPoliciesSelectNamesThem() {
    assertThat(NotUpdated.because(new Facts(List.of("a", "b"), null, null, null, Map.of())))
        .isEqualTo("selected by more than one policy (a, b)");
  }

  @Test
  void aSkippedNodeGivesItsStateReasonMessageAndTheBudgetThatRefused() {
    assertThat(
            NotUpdated.because(
                new Facts(
                    List.of("workers"),
                    "Skipped",
                    "DrainTimedOut",
                    "drain timed out; skipped",
                    Map.of("billing/solo", 7L))))
        .isEqualTo(
            "Skipped (DrainTimedOut: drain timed out; skipped); evictions refused by"
                + " PodDisruptionBudget billing/solo (7 times)");
  }

  @Test
  void aNodeWithoutAnOsNodeSaysItWasNeverSeenInAState() {
    assertThat(NotUpdated.because(new Facts(List.of("workers"), null, null, null, Map.of())))
        .isEqualTo("no OSNode state seen");
  }

  @Test
  void aNodeWaitingOnAHaltedPolicySaysSo() {
    assertThat(
            NotUpdated.because(
                new Facts(
                    List.of("workers"),
                    "Staged",
                    null,
                    "waiting for a disruption slot",
                    Map.of(),
                    "CanaryFailed")))
        .isEqualTo(
            "Staged (waiting for a disruption slot); policy workers is halted (CanaryFailed)");
  }
}
