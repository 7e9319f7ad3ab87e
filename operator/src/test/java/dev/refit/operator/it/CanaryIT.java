package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Canary;
import dev.refit.api.CanaryStatus;
import dev.refit.api.Condition;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.Selector;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import dev.refit.testing.NodeFault;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * spec.rollout.canary against the API: the canaries go first and alone, the rest waits for their
 * soak, and a canary that fails halts the rollout whatever the failure budget, leaving every other
 * node untouched.
 */
class CanaryIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private final Fleet fleet = new Fleet();

  @AfterEach
  void stop() {
    fleet.close();
  }

  private void awaitSoaking() {
    fleet.awaitUntil(
        Duration.ofSeconds(60),
        () -> {
          CanaryStatus status = canaryStatus();
          return status != null && CanaryStatus.SOAKING.equals(status.getPhase());
        });
  }

  private OSUpdatePolicy policy(Canary canary) {
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().setMaxUnavailable(new IntOrString(3));
    policy.getSpec().getHealthCheck().setRebootTimeoutSeconds(10);
    policy.getSpec().getHealthCheck().setReadyTimeoutSeconds(5);
    policy.getSpec().getRollout().setCanary(canary);
    return policy;
  }

  @Test
  void theCanariesGoFirstAndAloneAndTheRestWaitsForTheirSoak() {
    fleet.withNodes("worker", 8, WORKERS);
    fleet.startOperator();
    Canary canary = new Canary();
    canary.setCount(2);
    canary.setSoakSeconds(4);
    fleet.apply(policy(canary));

    awaitSoaking();
    CanaryStatus soaking = canaryStatus();
    assertThat(soaking.getNodes()).containsExactly("worker-1", "worker-2");
    assertThat(soaking.getMessage())
        .startsWith("canaries worker-1, worker-2 updated, soaking until ")
        .endsWith("; 6 other nodes wait for them");
    Instant soakEnds = Instant.parse(soaking.getSoakEndsAt());
    Condition progressing = fleet.condition("workers", "Progressing");
    assertThat(progressing.getReason()).isEqualTo("Canary");
    assertThat(fleet.invariants.cordonOrder())
        .as("only the canaries were disrupted before the soak ended")
        .containsExactlyInAnyOrder("worker-1", "worker-2");

    fleet.awaitRolledOut("workers", Duration.ofSeconds(90));
    Instant firstOther =
        fleet.osNodes().stream()
            .filter(o -> !Set.of("worker-1", "worker-2").contains(o.getMetadata().getName()))
            .map(o -> Instant.parse(o.getSpec().getStateSince()))
            .min(Instant::compareTo)
            .orElseThrow();
    assertThat(firstOther).as("no other node finished before the soak ended").isAfter(soakEnds);
    assertThat(canaryStatus().getPhase()).isEqualTo(CanaryStatus.PASSED);
    assertThat(fleet.invariants.violations()).isEmpty();
  }

  @Test
  void aCanaryThatNeverComesBackHaltsTheRolloutThoughTheBudgetAllowsMoreFailures() {
    fleet.withNodes("worker", 4, WORKERS);
    fleet.nodes.add("worker-5", Map.of("pool", "workers", "refit.dev/canary", "true"));
    fleet.withNodes("worker-x", 3, WORKERS);
    fleet.nodes.inject("worker-5", NodeFault.NEVER_READY);
    fleet.startOperator();
    Canary canary = new Canary();
    canary.setNodeSelector(Selector.matching(Map.of("refit.dev/canary", "true")));
    OSUpdatePolicy policy = policy(canary);
    policy.getSpec().getFailurePolicy().setMaxFailedNodes(new IntOrString(5));
    fleet.apply(policy);

    Condition degraded =
        fleet.awaitCondition("workers", "Degraded", "CanaryFailed", Duration.ofSeconds(60));
    assertThat(degraded.getMessage())
        .startsWith(
            "halted: canary worker-5 failed (ReadyTimeout); no other node is updated. Delete its"
                + " OSNode to try it again, or change the target")
        .contains("worker-5 failed (ReadyTimeout): failed while Verifying: still not Ready");
    assertThat(fleet.reason("workers", "Progressing")).isEqualTo("Halted");
    assertThat(canaryStatus().getPhase()).isEqualTo(CanaryStatus.FAILED);
    assertThat(fleet.osNode("worker-5").getSpec().getReason()).isEqualTo(NodeReasons.READY_TIMEOUT);
    fleet.assertForAtLeast(
        Duration.ofSeconds(2),
        "no node but the canary is ever disrupted",
        () -> fleet.invariants.cordonOrder().equals(java.util.List.of("worker-5")));
    Set<String> updated =
        fleet.osNodes().stream()
            .filter(o -> o.getSpec().getState() == NodeState.UpToDate)
            .map(o -> o.getMetadata().getName())
            .collect(Collectors.toSet());
    assertThat(updated).isEmpty();
    assertThat(fleet.invariants.violations()).isEmpty();
  }

  @Test
  void aCanaryThatGoesNotReadyDuringItsSoakFailsAndHaltsTheRollout() {
    fleet.withNodes("worker", 5, WORKERS);
    fleet.startOperator();
    Canary canary = new Canary();
    canary.setCount(1);
    canary.setSoakSeconds(600);
    fleet.apply(policy(canary));

    awaitSoaking();
    fleet.nodes.setReady("worker-1", false);

    Condition degraded =
        fleet.awaitCondition("workers", "Degraded", "CanaryFailed", Duration.ofSeconds(30));
    assertThat(degraded.getMessage())
        .startsWith("halted: canary worker-1 failed (CanaryUnhealthy); no other node is updated")
        .contains("worker-1 failed (CanaryUnhealthy): unhealthy during its canary soak: NotReady");
    OSNode failed = fleet.osNode("worker-1");
    assertThat(failed.getSpec().getState()).isEqualTo(NodeState.Failed);
    assertThat(failed.getSpec().getReason()).isEqualTo(NodeReasons.CANARY_UNHEALTHY);
    assertThat(fleet.invariants.cordonOrder()).containsExactly("worker-1");
    assertThat(fleet.invariants.violations()).isEmpty();
  }

  private CanaryStatus canaryStatus() {
    OSUpdatePolicy policy = fleet.policy("workers");
    return policy == null || policy.getStatus() == null ? null : policy.getStatus().getCanary();
  }
}
