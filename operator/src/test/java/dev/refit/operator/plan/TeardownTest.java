package dev.refit.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ActionState;
import dev.refit.api.NodeAction;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.RefitApi;
import dev.refit.operator.lifecycle.DrainProgress;
import dev.refit.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which nodes a policy's deletion waits for, which it stops at once, and which cordons it lifts.
 */
class TeardownTest {

  private static final String POLICY = "workers";
  private static final String TARGET = "aaaaaaaaaaaa";
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
  private static final Instant SINCE = NOW.minusSeconds(60);
  private static final Round.Settings SETTINGS =
      // a newer target: a node that finishes its reboot is not sent after it
      Round.Settings.builder("bbbbbbbbbbbb", Fixtures.TIMEOUTS).build();

  private final List<Round.NodeInput> ours = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();

  @Test
  void aNodeWhoseRebootMayBeUnderWayIsWaitedForAndEverythingElseIsStopped() {
    add("w-1", NodeState.Draining, true, agent(null, null));
    add("w-2", NodeState.Staged, false, agent(null, null));
    add("w-3", NodeState.Rebooting, true, agent(ActionState.Running, "boot-w-3"));
    add("w-4", NodeState.Drained, true, agent(null, null));

    Teardown.Result result = plan();

    assertThat(result.waiting()).extracting(Teardown.Waiting::name).containsExactly("w-3");
    assertThat(result.waiting().get(0).why()).isEqualTo("to finish its reboot");
    assertThat(result.revoked())
        .extracting(Round.NodeInput::name)
        .containsExactly("w-1", "w-2", "w-4");
    assertThat(result.cordonsLeft()).isEqualTo(1);
    assertThat(result.done()).isFalse();
    assertThat(result.wakeAt()).isEqualTo(SINCE.plus(Duration.ofMinutes(15)));
  }

  @Test
  void aDrainedNodeIsNeverToldToApplyAndOneBackOnItsNewOsIsHandedBackAtOnce() {
    add("w-1", NodeState.Drained, true, agent(null, null));
    add("w-2", NodeState.Verifying, true, done());

    Teardown.Result result = plan();

    assertThat(result.done()).isTrue();
    assertThat(result.waiting()).isEmpty();
    assertThat(result.revoked()).extracting(Round.NodeInput::name).containsExactly("w-1", "w-2");
  }

  @Test
  void aRebootingNodeIsWaitedForOnlyUntilItsRebootTimesOutAndItsAgentSettles() {
    add("w-3", NodeState.Rebooting, true, agent(ActionState.Running, "boot-w-3"));
    Instant timedOut = SINCE.plus(Duration.ofMinutes(16));

    Teardown.Result atTimeout = Teardown.plan(POLICY, SETTINGS, ours, nodes, timedOut);
    assertThat(atTimeout.waiting()).hasSize(1);
    assertThat(atTimeout.waiting().get(0).result().last().state()).isEqualTo(NodeState.Failed);
    assertThat(atTimeout.waiting().get(0).result().last().action()).isEqualTo(NodeAction.None);
    assertThat(atTimeout.waiting().get(0).why()).contains("its agent to settle");

    ours.clear();
    add("w-3", NodeState.Failed, true, agent(ActionState.Failed, "boot-w-3"));
    assertThat(Teardown.plan(POLICY, SETTINGS, ours, nodes, timedOut).done()).isTrue();
  }

  @Test
  void aHostThatRefusedTheApplyBeforeStartingItIsStopped() {
    OSNodeStatus refused = agent(null, null);
    refused.setConditions(
        List.of(
            new dev.refit.api.Condition(
                RefitApi.ELIGIBLE,
                dev.refit.api.Condition.Status.False,
                "RebootManagerActive",
                "locksmithd",
                null)));
    add("w-3", NodeState.Rebooting, true, refused);

    assertThat(plan().done()).isTrue();
  }

  @Test
  void onlyThisPolicysCordonsAreLiftedNeverAPersonsOrAnotherPolicys() {
    add("w-1", NodeState.Staged, false, agent(null, null));
    nodes.add(node("w-7", POLICY, true)); // left behind: the policy holds no OSNode of it
    nodes.add(node("w-8", null, true)); // a person's cordon
    nodes.add(node("w-9", "others", true)); // another policy's cordon
    nodes.add(node("w-10", POLICY, false)); // uncordoned by a person since

    Teardown.Result result = plan();

    assertThat(result.strayCordons())
        .extracting(n -> n.getMetadata().getName())
        .containsExactly("w-7");
  }

  private Teardown.Result plan() {
    return Teardown.plan(POLICY, SETTINGS, ours, nodes, NOW);
  }

  private void add(String name, NodeState state, boolean cordoned, OSNodeStatus status) {
    Node node = node(name, cordoned ? POLICY : null, cordoned);
    nodes.add(node);
    OSNode osNode = new OSNode();
    osNode.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    osNode.getMetadata().setName(name);
    OSNodeSpec spec = new OSNodeSpec();
    spec.setPolicy(POLICY);
    spec.setDesiredRevision(TARGET);
    spec.setState(state);
    spec.setStateSince(SINCE.toString());
    boolean applied = state == NodeState.Rebooting || state == NodeState.Verifying;
    spec.setAction(applied ? NodeAction.Apply : NodeAction.None);
    spec.setActionId(applied ? TARGET + "-apply-0" : null);
    osNode.setSpec(spec);
    osNode.setStatus(status);
    ours.add(new Round.NodeInput(node, osNode, DrainProgress.NOT_RUNNING, true));
  }

  /** An agent that acted on the Apply in boot {@code bootIdBefore}, or has not acted. */
  private static OSNodeStatus agent(ActionState state, String bootIdBefore) {
    OSNodeStatus status = new OSNodeStatus();
    status.setCurrentRevision("000000000000");
    status.setStagedRevision(TARGET);
    if (state != null) {
      status.setObservedActionId(TARGET + "-apply-0");
      status.setActionState(state);
      status.setBootIdBeforeAction(bootIdBefore);
    }
    return status;
  }

  /** An agent whose host rebooted into the target. */
  private static OSNodeStatus done() {
    OSNodeStatus status = agent(ActionState.Succeeded, "boot-old");
    status.setCurrentRevision(TARGET);
    status.setStagedRevision(null);
    return status;
  }

  private static Node node(String name, String cordonedBy, boolean unschedulable) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withAnnotations(
            cordonedBy == null ? Map.of() : Map.of(RefitApi.CORDONED_ANNOTATION, cordonedBy))
        .endMetadata()
        .withNewSpec()
        .withUnschedulable(unschedulable)
        .endSpec()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .withNewNodeInfo()
        .withBootID("boot-" + name)
        .endNodeInfo()
        .endStatus()
        .build();
  }
}
