package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.OSUpdatePolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StallTest {

  private static final Map<String, String> NODES = Map.of("w-1", "false/boot-1/UpToDate");

  private static OSUpdatePolicy policy(
      long generation, long observed, String status, String reason) {
    return Serialization.unmarshal(
        """
        apiVersion: refit.dev/v1alpha1
        kind: OSUpdatePolicy
        metadata: {name: workers, generation: %d}
        spec:
          nodeSelector: {matchLabels: {pool: w}}
          os: {family: FedoraCoreOS, version: "41.20250101.3.0"}
        status:
          observedGeneration: %d
          conditions:
            - {type: Progressing, status: "%s", reason: %s, message: "what the operator says"}
        """
            .formatted(generation, observed, status, reason),
        OSUpdatePolicy.class);
  }

  private static final OSUpdatePolicy NO_NODES = policy(1, 1, "False", "NoMatchingNodes");

  @Test
  void aPolicyThatCannotProgressEndsTheRunOnceNothingChangedForTheSettlePeriod() {
    Stall stall = new Stall(5);
    for (double t = 0; t < 5; t += 0.2) {
      assertThat(stall.judge(t, List.of(NO_NODES), NODES, List.of())).as("at %.1f s", t).isNull();
    }
    assertThat(stall.judge(5.0, List.of(NO_NODES), NODES, List.of()))
        .startsWith("the rollout cannot make progress: nothing changed for 5 s")
        .contains("workers: NoMatchingNodes: what the operator says");
  }

  @Test
  void anyChangeOfANodeOrAPolicyStartsTheSettlePeriodAgain() {
    Stall stall = new Stall(5);
    stall.judge(0, List.of(NO_NODES), NODES, List.of());
    assertThat(stall.judge(4, List.of(NO_NODES), Map.of("w-1", "true/boot-1/Cordoned"), List.of()))
        .isNull();
    assertThat(stall.judge(8, List.of(NO_NODES), Map.of("w-1", "true/boot-1/Cordoned"), List.of()))
        .isNull();
    assertThat(stall.judge(8.5, List.of(policy(1, 1, "False", "Held")), NODES, List.of())).isNull();
    assertThat(stall.judge(13.5, List.of(policy(1, 1, "False", "Held")), NODES, List.of()))
        .contains("workers: Held");
  }

  @Test
  void anOperatorStartedAgainStartsTheSettlePeriodAgain() {
    Stall stall = new Stall(5);
    stall.judge(0, List.of(NO_NODES), NODES, List.of());
    stall.changed(4);
    assertThat(stall.judge(6, List.of(NO_NODES), NODES, List.of())).isNull();
    assertThat(stall.judge(11, List.of(NO_NODES), NODES, List.of())).isNotNull();
  }

  @Test
  void aProgressingPolicyNeverEndsTheRunHoweverLongNothingChanges() {
    Stall stall = new Stall(5);
    OSUpdatePolicy blocked = policy(1, 1, "True", "DrainBlocked");
    for (double t = 0; t < 300; t += 1) {
      assertThat(stall.judge(t, List.of(blocked, NO_NODES), NODES, List.of())).isNull();
    }
  }

  @Test
  void aPolicyTheOperatorHasNotReportedOnForItsCurrentSpecKeepsTheRunGoing() {
    Stall stall = new Stall(5);
    OSUpdatePolicy stale = policy(2, 1, "False", "Complete");
    OSUpdatePolicy unreported = policy(1, 1, "False", "Complete");
    unreported.setStatus(null);
    for (double t = 0; t < 60; t += 1) {
      assertThat(stall.judge(t, List.of(stale), NODES, List.of())).isNull();
    }
    Stall other = new Stall(5);
    for (double t = 0; t < 60; t += 1) {
      assertThat(other.judge(t, List.of(unreported), NODES, List.of())).isNull();
    }
  }

  @Test
  void aReasonNotKnownTodayCountsWhenItsConditionIsFalse() {
    Stall stall = new Stall(5);
    OSUpdatePolicy waiting = policy(1, 1, "False", "SomeFutureWait");
    stall.judge(0, List.of(waiting), NODES, List.of());
    assertThat(stall.judge(6, List.of(waiting), NODES, List.of())).contains("SomeFutureWait");
  }

  @Test
  void aNodeInTheMiddleOfAnUpdateKeepsAHaltedRunGoing() {
    // chaos seed 48: halted while w-1 drained; the drain ends by its timeout, later than 5 s
    Stall stall = new Stall(5);
    OSUpdatePolicy halted = policy(1, 1, "False", "Halted");
    stall.judge(0, List.of(halted), NODES, List.of("w-1 (Draining)"));
    assertThat(stall.judge(60, List.of(halted), NODES, List.of("w-1 (Draining)"))).isNull();

    Map<String, String> drained = Map.of("w-1", "false/boot-1/Skipped");
    stall.judge(61, List.of(halted), drained, List.of());
    assertThat(stall.judge(67, List.of(halted), drained, List.of())).contains("Halted");
  }

  @Test
  void theSettlePeriodOutlastsOneHostStepAndThePoliciesSoak() throws IOException {
    Scenario quick = scenario("timing: {stageSeconds: 0.5, rebootSeconds: 0.5, readySeconds: 0.5}");
    assertThat(Stall.settleSeconds(quick, List.of(NO_NODES))).isEqualTo(Stall.MIN_SETTLE_SECONDS);
    Scenario slow =
        scenario(
            "timing: {stageSeconds: 10, rebootSeconds: 20, readySeconds: 5}\n"
                + "workloads: [{name: db, replicas: 1, terminationSeconds: 30, startSeconds: 4}]");
    OSUpdatePolicy soaking = policy(1, 1, "False", "Complete");
    soaking.getSpec().setRollout(new dev.refit.api.Rollout());
    soaking.getSpec().getRollout().setSoakSeconds(60);
    assertThat(Stall.settleSeconds(slow, List.of(soaking))).isEqualTo(10 + 20 + 5 + 30 + 4 + 60);
  }

  private static Scenario scenario(String yaml) throws IOException {
    return Scenario.read(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "stall.yaml");
  }
}
