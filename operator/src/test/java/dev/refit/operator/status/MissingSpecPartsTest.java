package dev.refit.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Blackout;
import dev.refit.api.Condition;
import dev.refit.api.MaintenanceWindow;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.RefitApi;
import dev.refit.api.Schedule;
import dev.refit.operator.plan.Claims;
import dev.refit.operator.plan.Round;
import dev.refit.operator.plan.RoundSettings;
import dev.refit.operator.plan.SpecJudge;
import dev.refit.operator.plan.SpecProblem;
import dev.refit.operator.plan.Windows;
import dev.refit.operator.testing.Fixtures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A policy stored without parts admission requires (before the CRD required them, or by an API
 * server that does not enforce the schema) gets a status that says what to add, where it once made
 * every round throw and the policy never got a status. Each test walks the round as the reconciler
 * does: judge, schedule, round settings, round, status.
 */
class MissingSpecPartsTest {

  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

  @Test
  void aPolicyWithoutSpecIsDegradedWithAMessageThatSaysWhatToAdd() {
    OSUpdatePolicy policy = Fixtures.policy("workers", Map.of("pool", "a"), "1");
    policy.setSpec(null);

    OSUpdatePolicyStatus status = roundOf(policy);

    assertThat(condition(status, RefitApi.DEGRADED))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).hasToString("True");
              assertThat(c.getReason()).isEqualTo("InvalidSpec");
              assertThat(c.getMessage())
                  .contains("spec is missing: add spec.nodeSelector (which nodes) and spec.os");
            });
    assertThat(condition(status, RefitApi.READY).getStatus()).hasToString("False");
    assertThat(status.getTarget()).isNull();
  }

  @Test
  void aSpecWithoutSelectorOrTargetNamesBothAndSelectsNoNode() {
    OSUpdatePolicy policy = Fixtures.policy("workers", Map.of("pool", "a"), "1");
    policy.setSpec(new OSUpdatePolicySpec());

    List<SpecProblem> problems = SpecJudge.judge(policy.getSpec());
    OSUpdatePolicyStatus status = roundOf(policy);

    assertThat(problems)
        .extracting(SpecProblem::message)
        .anySatisfy(m -> assertThat(m).startsWith("spec.nodeSelector is missing"))
        .anySatisfy(m -> assertThat(m).startsWith("spec.os is missing its target"));
    assertThat(SpecJudge.actionable(policy.getSpec())).isFalse();
    assertThat(condition(status, RefitApi.READY).getMessage())
        .startsWith("spec.nodeSelector is missing, so no node is selected");
  }

  @Test
  void aBlackoutOnADayThatDoesNotExistIsReportedByFieldNotThrown() {
    OSUpdatePolicy policy = Fixtures.policy("workers", Map.of("pool", "a"), "1");
    Blackout blackout = new Blackout();
    blackout.setStart("2027-02-30T00:00:00Z");
    blackout.setEnd("2027-03-02T00:00:00Z");
    MaintenanceWindow window = new MaintenanceWindow();
    window.setDays(List.of(dev.refit.api.Weekday.Saturday));
    window.setStart("25:00");
    window.setDuration("four hours");
    Schedule schedule = new Schedule();
    schedule.setBlackouts(List.of(blackout));
    schedule.setWindows(List.of(window));
    policy.getSpec().setSchedule(schedule);

    OSUpdatePolicyStatus status = roundOf(policy);

    assertThat(condition(status, RefitApi.DEGRADED).getMessage())
        .contains("spec.schedule.blackouts[0].start \"2027-02-30T00:00:00Z\" is not a moment")
        .contains("spec.schedule.windows[0].start \"25:00\" is not a time of day")
        .contains("spec.schedule.windows[0].duration \"four hours\" is not a duration");
  }

  /** One round of the policy over no nodes, as the reconciler runs it. */
  private static OSUpdatePolicyStatus roundOf(OSUpdatePolicy policy) {
    OSUpdatePolicySpec spec = policy.getSpec();
    List<SpecProblem> problems = SpecJudge.judge(spec);
    Windows.State window = Windows.at(spec == null ? null : spec.getSchedule(), NOW);
    Round.Result round =
        Round.round(RoundSettings.of(spec, 0, problems, window, null), List.of(), NOW);
    return PolicyStatusComposer.compose(
        new PolicyStatusComposer.Inputs(
            policy, Claims.of(List.of(policy), List.of()), problems, round, Map.of(), window, NOW));
  }

  private static Condition condition(OSUpdatePolicyStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
