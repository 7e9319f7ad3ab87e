package dev.refit.operator.plan;

import dev.refit.api.Canary;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.Revisions;
import dev.refit.operator.lifecycle.NodeFacts.Timeouts;
import java.time.Duration;
import java.util.List;

/** What a policy's spec, its problems and the schedule mean for one rollout round. */
public final class RoundSettings {
  private RoundSettings() {}

  /**
   * The round's settings: limits resolved against the managed nodes, phase timeouts, the order, the
   * soak time, and why nothing may start now, if so (paused, a spec problem, the schedule).
   */
  public static Round.Settings of(
      OSUpdatePolicySpec given,
      int total,
      List<SpecProblem> problems,
      Windows.State window,
      String operatorNode) {
    return of(given, total, problems, window, operatorNode, null);
  }

  /**
   * The round's settings with the policy's Prometheus check and its last answer ({@code
   * healthQuery}, null when the policy has none).
   */
  public static Round.Settings of(
      OSUpdatePolicySpec given,
      int total,
      List<SpecProblem> problems,
      Windows.State window,
      String operatorNode,
      HealthQuery healthQuery) {
    return of(
        given,
        total,
        problems,
        window,
        operatorNode,
        healthQuery,
        Revisions.of(given == null ? new OSUpdatePolicySpec() : given));
  }

  /**
   * The round's settings, rolling out {@code targetRevision}: the revision of the spec with its
   * modules' CIL as read ({@link ModuleSources}), or the last one while a source cannot be read.
   */
  public static Round.Settings of(
      OSUpdatePolicySpec given,
      int total,
      List<SpecProblem> problems,
      Windows.State window,
      String operatorNode,
      HealthQuery healthQuery,
      String targetRevision) {
    // a policy stored without spec (judged and reported) rounds with the defaults and no nodes
    OSUpdatePolicySpec spec = given == null ? new OSUpdatePolicySpec() : given;
    String hold = null;
    if (Boolean.TRUE.equals(spec.getRollout().getPaused())) {
      hold = "paused by spec.rollout.paused";
    } else if (!problems.isEmpty()) {
      hold = "no node starts while the spec has a problem: " + problems.get(0).reason();
    } else if (!window.open()) {
      hold = window.reason();
    }
    var health = spec.getHealthCheck();
    var ordering = spec.getRollout().getOrdering();
    Timeouts timeouts =
        new Timeouts(
            Duration.ofSeconds(spec.getRollout().getStageTimeoutSeconds()),
            Duration.ofSeconds(spec.getDrain().getTimeoutSeconds()),
            Duration.ofSeconds(health.getRebootTimeoutSeconds()),
            Duration.ofSeconds(health.getReadyTimeoutSeconds()));
    return Round.Settings.builder(targetRevision, timeouts)
        .onTimeout(spec.getDrain().getOnTimeout())
        .maxUnavailable(Budgets.maxUnavailable(spec.getMaxUnavailable(), total))
        .maxFailed(Budgets.maxFailed(spec.getFailurePolicy().getMaxFailedNodes(), total))
        .hold(hold)
        .order(
            new Round.Order(
                ordering.getZoneLabel(),
                Boolean.TRUE.equals(ordering.getZoneByZone()),
                Boolean.TRUE.equals(ordering.getControlPlaneLast()),
                operatorNode))
        .soak(Duration.ofSeconds(spec.getRollout().getSoakSeconds()))
        .maxUnhealthy(Budgets.maxUnhealthy(spec.getFailurePolicy().getMaxUnhealthy(), total))
        .canary(canary(spec.getRollout().getCanary()))
        .healthQuery(health.getPrometheus() == null ? null : healthQuery)
        .gates(spec.getGates())
        .autoRollback(Boolean.TRUE.equals(spec.getFailurePolicy().getAutoRollback()))
        .build();
  }

  private static Canaries.Settings canary(Canary canary) {
    if (canary == null) {
      return null;
    }
    // admission requires exactly one of count and nodeSelector; an object stored without either
    // gets the most careful reading: one canary
    Integer count = canary.getCount();
    if (count == null && canary.getNodeSelector() == null) {
      count = 1;
    }
    return new Canaries.Settings(
        count, canary.getNodeSelector(), Duration.ofSeconds(canary.getSoakSeconds()));
  }
}
