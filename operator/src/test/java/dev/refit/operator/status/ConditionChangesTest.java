package dev.refit.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import dev.refit.api.Condition.Status;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.PolicyReasons;
import dev.refit.api.RefitApi;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The log's lines for a policy's rounds: a line when a condition's status or reason changes. */
class ConditionChangesTest {

  private static OSUpdatePolicyStatus status(Condition... conditions) {
    OSUpdatePolicyStatus status = new OSUpdatePolicyStatus();
    status.setConditions(List.of(conditions));
    return status;
  }

  private static Condition progressing(Status status, String reason, String message) {
    return new Condition(RefitApi.PROGRESSING, status, reason, message, 1L);
  }

  @Test
  void aRolloutThatStartsWaitingForSlotsSaysWhy() {
    OSUpdatePolicyStatus before =
        status(progressing(Status.True, PolicyReasons.ROLLING_OUT, "2 of 20 nodes updated"));
    OSUpdatePolicyStatus after =
        status(
            progressing(
                Status.True,
                PolicyReasons.WAITING_FOR_SLOTS,
                "3 of 4 slots held by nodes a person cordoned: w-1, w-2, w-3"));

    assertThat(ConditionChanges.lines(before, after))
        .containsExactly(
            "Progressing=True (WaitingForSlots): 3 of 4 slots held by nodes a person cordoned:"
                + " w-1, w-2, w-3");
  }

  @Test
  void aMessageThatOnlyCountsOnWritesNothing() {
    OSUpdatePolicyStatus before =
        status(progressing(Status.True, PolicyReasons.ROLLING_OUT, "2 of 20 nodes updated"));
    OSUpdatePolicyStatus after =
        status(progressing(Status.True, PolicyReasons.ROLLING_OUT, "3 of 20 nodes updated"));

    assertThat(ConditionChanges.lines(before, after)).isEmpty();
  }

  @Test
  void aStatusThatChangesUnderTheSameReasonIsALine() {
    OSUpdatePolicyStatus before =
        status(progressing(Status.True, PolicyReasons.HEALTH_QUERY, "the query answers healthy"));
    OSUpdatePolicyStatus after =
        status(progressing(Status.False, PolicyReasons.HEALTH_QUERY, "the query found 2 alerts"));

    assertThat(ConditionChanges.lines(before, after))
        .containsExactly("Progressing=False (HealthQuery): the query found 2 alerts");
  }

  @Test
  void aPolicyWithoutAStatusYetHasALinePerConditionAndALongMessageIsCut() {
    String longMessage = "x".repeat(ConditionChanges.MAX_MESSAGE + 50);
    OSUpdatePolicyStatus after =
        status(
            progressing(Status.True, PolicyReasons.ROLLING_OUT, longMessage),
            new Condition(RefitApi.READY, Status.False, PolicyReasons.UPDATES_PENDING, null, 1L));

    List<String> lines = ConditionChanges.lines(null, after);

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .startsWith("Progressing=True (RollingOut): xxx")
        .hasSize("Progressing=True (RollingOut): ".length() + ConditionChanges.MAX_MESSAGE + 1);
    assertThat(lines.get(1)).isEqualTo("Ready=False (UpdatesPending)");
  }
}
