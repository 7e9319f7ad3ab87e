package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.RefitApi;
import dev.refit.testing.invariants.Settled;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndingTest {

  private static final Settled.Verdict SETTLED =
      new Settled.Verdict(
          true, List.of(new Settled.PolicyVerdict("workers", true, null)), List.of());
  private static final Settled.Verdict BEHIND =
      new Settled.Verdict(
          false,
          List.of(new Settled.PolicyVerdict("workers", false, "not on the target 41: w-2")),
          List.of("workers: not on the target 41: w-2"));

  private final Ending ending = new Ending(5);

  @Test
  void aSettledFleetWhoseOperatorAgreesFinishesAtOnceWithNothingToReport() {
    assertThat(ending.finished(10, SETTLED, List.of(policy("True", "RollingOut")))).isFalse();
    assertThat(ending.finished(11, SETTLED, List.of(policy("False", "Complete")))).isTrue();
    assertThat(ending.discrepancies()).isEmpty();
  }

  @Test
  void anOperatorWaitingForNodesSomeoneElseHoldsAgreesWithASettledFleet() {
    for (String reason : List.of("WaitingForNodes", "WaitingForSlots")) {
      Ending fresh = new Ending(5);
      assertThat(fresh.finished(10, SETTLED, List.of(policy("True", reason)))).as(reason).isTrue();
      assertThat(fresh.discrepancies()).isEmpty();
    }
  }

  @Test
  void aSettledFleetWhoseOperatorStillSaysProgressingFinishesAfterTheGraceAndSaysSo() {
    List<OSUpdatePolicy> rolling = List.of(policy("True", "RollingOut"));

    assertThat(ending.finished(10, SETTLED, rolling)).isFalse();
    assertThat(ending.finished(14, SETTLED, rolling)).isFalse();
    assertThat(ending.finished(15, SETTLED, rolling)).isTrue();
    assertThat(ending.discrepancies())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.policy()).isEqualTo("workers");
              assertThat(d.detail())
                  .isEqualTo(
                      "observed settled, but the operator says Progressing=True RollingOut: what"
                          + " it says");
            });
  }

  @Test
  void anOperatorSayingCompleteWhileAHostIsBehindDoesNotEndTheRunAndIsReportedOnce() {
    List<OSUpdatePolicy> complete = List.of(policy("False", "Complete"));

    for (int t = 10; t <= 30; t++) {
      ending.crossCheck(t, BEHIND, complete);
      assertThat(ending.finished(t, BEHIND, complete)).isFalse();
    }
    assertThat(ending.discrepancies())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.atSeconds()).isEqualTo(16);
              assertThat(d.detail())
                  .isEqualTo(
                      "the operator says Progressing=False Complete, but observed: not on the"
                          + " target 41: w-2 (for 6 s)");
            });
  }

  @Test
  void aClaimThatTheObservedFleetCatchesUpWithWithinTheGraceIsNoDisagreement() {
    List<OSUpdatePolicy> complete = List.of(policy("False", "Complete"));

    ending.crossCheck(10, BEHIND, complete);
    ending.crossCheck(14, BEHIND, complete);
    ending.crossCheck(15, SETTLED, complete);

    assertThat(ending.finished(15, SETTLED, complete)).isTrue();
    assertThat(ending.discrepancies()).isEmpty();
  }

  @Test
  void aPausedPolicyTheOperatorHoldsAgreesWithASettledFleet() {
    assertThat(ending.finished(10, SETTLED, List.of(policy("False", "Held")))).isTrue();
    assertThat(ending.discrepancies()).isEmpty();
  }

  private static OSUpdatePolicy policy(String progressing, String reason) {
    OSUpdatePolicy policy = new OSUpdatePolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("workers").withGeneration(1L).build());
    OSUpdatePolicyStatus status = new OSUpdatePolicyStatus();
    status.setObservedGeneration(1L);
    status.setConditions(
        List.of(
            new Condition(
                RefitApi.PROGRESSING,
                Condition.Status.valueOf(progressing),
                reason,
                "what it says",
                1L)));
    policy.setStatus(status);
    return policy;
  }
}
