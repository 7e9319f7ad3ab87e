package dev.refit.testing.invariants;

import static dev.refit.testing.invariants.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ActionState;
import dev.refit.api.Condition;
import dev.refit.api.FailurePolicy;
import dev.refit.api.HostDeployment;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.RefitApi;
import dev.refit.api.Rollout;
import dev.refit.testing.invariants.Fixtures.Cordon;
import dev.refit.testing.invariants.Fixtures.ManualClock;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettledTest {

  private static final String OLD = "40.20241201.3.0";
  private static final String NEW = "41.20250101.3.0";

  private final ManualClock clock = new ManualClock();
  private final Invariants invariants = new Invariants(List.of(), clock);
  private final Settled settled = new Settled(Duration.ofSeconds(3));

  @Test
  void aFleetWhoseHostsAllBootedTheTargetSettlesOnceNothingChangedForTheQuietPeriod() {
    invariants.policy(Fixtures.policy("workers", "p", NEW, 1));
    for (String name : List.of("a", "b", "c")) {
      updated(name);
    }

    assertThat(verdict().settled()).isFalse();
    clock.advance(Duration.ofSeconds(3));
    assertThat(verdict().settled()).isTrue();
    assertThat(verdict().waitingFor()).isEmpty();
  }

  @Test
  void aPolicyReportingCompleteWhileAHostStillRunsTheOldVersionIsNotSettled() {
    OSUpdatePolicy policy = Fixtures.policy("workers", "p", NEW, 1);
    policy.setStatus(complete());
    invariants.policy(policy);
    updated("a");
    // the operator wrote UpToDate, but the host's agent reports the old OS booted
    invariants.node(node("b", Cordon.NONE, true));
    invariants.osNode(reported("b", NodeState.UpToDate, OLD));
    clock.advance(Duration.ofMinutes(1));

    Settled.Verdict verdict = verdict();
    assertThat(verdict.settled()).isFalse();
    assertThat(verdict.waitingFor()).containsExactly("workers: not on the target " + NEW + ": b");
  }

  @Test
  void aNodeSomeoneElseCordonedWaitsForThemAndDoesNotKeepItsPolicyFromSettling() {
    invariants.policy(Fixtures.policy("workers", "p", NEW, 1));
    updated("a");
    invariants.node(node("b", Cordon.NONE, true));
    invariants.osNode(reported("b", NodeState.Staged, OLD));
    clock.advance(Duration.ofMinutes(1));
    assertThat(verdict().settled()).isFalse();

    invariants.node(node("b", Cordon.PERSON, true));
    clock.advance(Duration.ofMinutes(1));
    assertThat(verdict().settled()).isTrue();
  }

  @Test
  void aHostOnTheTargetThatStillCarriesRefitsCordonIsNotSettled() {
    invariants.policy(Fixtures.policy("workers", "p", NEW, 1));
    updated("a");
    invariants.node(node("b", Cordon.REFIT, true));
    invariants.osNode(reported("b", NodeState.UpToDate, NEW));
    clock.advance(Duration.ofMinutes(1));

    assertThat(verdict().settled()).isFalse();
    assertThat(verdict().waitingFor())
        .containsExactly("workers: b is cordoned by Refit (UpToDate)");
  }

  @Test
  void aNodeHoldingAnUpdateSlotIsNotSettledEvenWhenItsPolicyIsPaused() {
    OSUpdatePolicy policy = Fixtures.policy("workers", "p", NEW, 1);
    Rollout rollout = new Rollout();
    rollout.setPaused(true);
    policy.getSpec().setRollout(rollout);
    invariants.policy(policy);
    invariants.node(node("a", Cordon.REFIT, true));
    invariants.osNode(reported("a", NodeState.Draining, OLD));
    invariants.node(node("b", Cordon.NONE, true));
    invariants.osNode(reported("b", NodeState.Staged, OLD));
    clock.advance(Duration.ofMinutes(1));
    assertThat(verdict().waitingFor())
        .containsExactly("workers: a holds an update slot (Draining)");

    // the drain was abandoned: the paused rollout leaves both nodes where they are
    invariants.node(node("a", Cordon.NONE, true));
    invariants.osNode(reported("a", NodeState.Staged, OLD));
    clock.advance(Duration.ofSeconds(3));
    assertThat(verdict().settled()).isTrue();
  }

  @Test
  void aFailedNodeWithinTheBudgetIsSettledOnceTheOthersRunTheTarget() {
    invariants.policy(withBudget(Fixtures.policy("workers", "p", NEW, 1), 2));
    updated("a");
    updated("c");
    invariants.node(node("b", Cordon.NONE, true));
    invariants.osNode(failed("b", NodeReasons.READY_TIMEOUT));
    clock.advance(Duration.ofSeconds(3));

    assertThat(verdict().settled()).isTrue();
  }

  @Test
  void slotsAllHeldByNodesThatWaitForAPersonLeaveTheRestWaitingAndThePolicySettled() {
    invariants.policy(withBudget(Fixtures.policy("workers", "p", NEW, 2), 5));
    updated("a");
    // b failed and stays NotReady (kept cordoned by Refit); a person cordoned c
    invariants.node(node("b", Cordon.REFIT, false));
    invariants.osNode(failed("b", NodeReasons.READY_TIMEOUT));
    invariants.node(node("c", Cordon.PERSON, true));
    invariants.osNode(reported("c", NodeState.Staged, OLD));
    invariants.node(node("d", Cordon.NONE, true));
    invariants.osNode(reported("d", NodeState.Staged, OLD));
    clock.advance(Duration.ofSeconds(3));
    assertThat(verdict().settled()).isTrue();

    // the person uncordons c: a slot is free, and d (and c) must still be updated
    invariants.node(node("c", Cordon.NONE, true));
    clock.advance(Duration.ofSeconds(3));
    assertThat(verdict().waitingFor())
        .containsExactly("workers: not on the target " + NEW + ": c, d");
  }

  @Test
  void aSpentFailureBudgetHaltsThePolicyWithTheRestLeftBehind() {
    invariants.policy(withBudget(Fixtures.policy("workers", "p", NEW, 1), 1));
    updated("a");
    // NotReady after its reboot: the design keeps it cordoned
    invariants.node(node("b", Cordon.REFIT, false));
    invariants.osNode(failed("b", NodeReasons.READY_TIMEOUT));
    invariants.node(node("c", Cordon.NONE, true));
    invariants.osNode(reported("c", NodeState.Staged, OLD));
    clock.advance(Duration.ofSeconds(3));
    assertThat(verdict().settled()).isTrue();

    // with a budget of two (and a second slot beside the one b holds) the rollout goes on, and c
    // must still be updated
    invariants.policy(withBudget(Fixtures.policy("workers", "p", NEW, 2), 2));
    clock.advance(Duration.ofSeconds(3));
    assertThat(verdict().waitingFor()).containsExactly("workers: not on the target " + NEW + ": c");
  }

  @Test
  void aFailedCanaryHaltsThePolicyWhateverTheBudgetButAFailureAfterTheCanariesDoesNot() {
    OSUpdatePolicy policy = withBudget(Fixtures.policy("workers", "p", NEW, 1), 5);
    dev.refit.api.Canary canary = new dev.refit.api.Canary();
    canary.setCount(1);
    policy.getSpec().getRollout().setCanary(canary);
    invariants.policy(policy);
    invariants.node(node("a", Cordon.NONE, true));
    invariants.osNode(failed("a", NodeReasons.CANARY_UNHEALTHY));
    invariants.node(node("b", Cordon.NONE, true));
    invariants.osNode(reported("b", NodeState.Staged, OLD));
    clock.advance(Duration.ofSeconds(3));
    assertThat(verdict().settled()).as("the canary a failed: b waits for a person").isTrue();

    // b was updated after the canaries passed, then c failed: an ordinary failure, in budget
    updated("b");
    OSNode b = reported("b", NodeState.UpToDate, NEW);
    b.getSpec().setReason(NodeReasons.UPDATED);
    invariants.osNode(b);
    invariants.node(node("c", Cordon.NONE, true));
    invariants.osNode(failed("c", NodeReasons.READY_TIMEOUT));
    invariants.node(node("d", Cordon.NONE, true));
    invariants.osNode(reported("d", NodeState.Staged, OLD));
    clock.advance(Duration.ofSeconds(3));
    assertThat(verdict().waitingFor()).containsExactly("workers: not on the target " + NEW + ": d");
  }

  @Test
  void aNodeThatHaltsTheRolloutWithinTheFailureBudgetLeavesTheRestBehindSettled() {
    for (String halting :
        new String[] {
          NodeReasons.DRAIN_TIMED_OUT, NodeReasons.UNSATISFIABLE_BUDGET, NodeReasons.GATE_TIMED_OUT
        }) {
      invariants.policy(withBudget(Fixtures.policy("workers", "p", NEW, 1), 5));
      updated("a");
      invariants.node(node("b", Cordon.NONE, true));
      invariants.osNode(failed("b", halting));
      invariants.node(node("c", Cordon.NONE, true));
      invariants.osNode(reported("c", NodeState.Staged, OLD));
      clock.advance(Duration.ofSeconds(3));
      assertThat(verdict().settled()).as(halting).isTrue();
    }
    // an ordinary failure within the budget halts nothing: c must still be updated
    invariants.osNode(failed("b", NodeReasons.READY_TIMEOUT));
    clock.advance(Duration.ofSeconds(3));
    assertThat(verdict().settled()).isFalse();
  }

  @Test
  void aFailedNodeThatIsReadyAndStillCordonedByRefitWithoutReasonIsNotSettled() {
    invariants.policy(withBudget(Fixtures.policy("workers", "p", NEW, 1), 1));
    invariants.node(node("a", Cordon.REFIT, true));
    invariants.osNode(failed("a", NodeReasons.DRAIN_TIMED_OUT));
    clock.advance(Duration.ofSeconds(3));

    assertThat(verdict().waitingFor()).containsExactly("workers: a is cordoned by Refit (Failed)");
  }

  @Test
  void aChangeWithinTheQuietPeriodDelaysSettlement() {
    invariants.policy(Fixtures.policy("workers", "p", NEW, 1));
    updated("a");
    clock.advance(Duration.ofSeconds(3));
    assertThat(verdict().settled()).isTrue();

    // a new boot: something still moves
    invariants.node(node("a", java.util.Map.of("pool", "p"), Cordon.NONE, true, "boot-2"));
    clock.advance(Duration.ofSeconds(2));
    assertThat(verdict().settled()).isFalse();
    assertThat(verdict().waitingFor()).singleElement().asString().startsWith("a change 2.0 s ago");
    clock.advance(Duration.ofSeconds(1));
    assertThat(verdict().settled()).isTrue();
  }

  @Test
  void theSameReportAgainIsNoChange() {
    invariants.policy(Fixtures.policy("workers", "p", NEW, 1));
    updated("a");
    clock.advance(Duration.ofSeconds(3));

    invariants.node(node("a", Cordon.NONE, true));
    invariants.osNode(reported("a", NodeState.UpToDate, NEW));
    OSUpdatePolicy withStatus = Fixtures.policy("workers", "p", NEW, 1);
    withStatus.setStatus(complete());
    invariants.policy(withStatus);

    assertThat(verdict().settled()).isTrue();
  }

  @Test
  void aPolicyThatSelectsNoNodeIsNotSettled() {
    invariants.policy(Fixtures.policy("nobody", "nowhere", NEW, 1));
    invariants.node(node("a", Cordon.NONE, true));
    clock.advance(Duration.ofMinutes(1));

    assertThat(verdict().waitingFor()).containsExactly("nobody: selects no node");
  }

  private Settled.Verdict verdict() {
    return invariants.read(settled::judge);
  }

  /** A Ready node whose agent reports the new OS booted, as its work order asked. */
  private void updated(String name) {
    invariants.node(node(name, Cordon.NONE, true));
    invariants.osNode(reported(name, NodeState.UpToDate, NEW));
  }

  /** An OSNode in this state whose agent reports this version booted and its revision current. */
  private static OSNode reported(String name, NodeState state, String booted) {
    OSNode osNode = Fixtures.osNode(name, state);
    osNode.getSpec().setDesiredRevision("rev-" + NEW);
    OSNodeStatus status = new OSNodeStatus();
    HostDeployment deployment = new HostDeployment();
    deployment.setVersion(booted);
    status.setBooted(deployment);
    status.setCurrentRevision("rev-" + booted);
    status.setActionState(ActionState.Succeeded);
    osNode.setStatus(status);
    return osNode;
  }

  private static OSNode failed(String name, String reason) {
    OSNode osNode = reported(name, NodeState.Failed, OLD);
    osNode.getSpec().setReason(reason);
    return osNode;
  }

  private static OSUpdatePolicy withBudget(OSUpdatePolicy policy, int maxFailedNodes) {
    FailurePolicy failurePolicy = new FailurePolicy();
    failurePolicy.setMaxFailedNodes(new IntOrString(maxFailedNodes));
    policy.getSpec().setFailurePolicy(failurePolicy);
    return policy;
  }

  private static OSUpdatePolicyStatus complete() {
    OSUpdatePolicyStatus status = new OSUpdatePolicyStatus();
    status.setObservedGeneration(1L);
    status.setConditions(
        List.of(
            new Condition(
                RefitApi.PROGRESSING, Condition.Status.False, "Complete", "all updated", 1L)));
    return status;
  }
}
