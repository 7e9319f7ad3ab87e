package dev.refit.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import dev.refit.api.HostDeployment;
import dev.refit.api.NodeProblem;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.PolicyReasons;
import dev.refit.api.RefitApi;
import dev.refit.api.Revisions;
import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxMode;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.api.SELinuxStatus;
import dev.refit.operator.lifecycle.DrainProgress;
import dev.refit.operator.plan.Claims;
import dev.refit.operator.plan.Round;
import dev.refit.operator.plan.RoundSettings;
import dev.refit.operator.plan.SpecJudge;
import dev.refit.operator.plan.Windows;
import dev.refit.operator.testing.Fixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SELinux side of a policy's status, composed from a round as the reconciler composes it: what
 * of the pending change is live and what reboots, the nodes that drifted, and the Bottlerocket
 * nodes that cannot have what the policy declares (a Degraded condition naming them and the
 * request, while their OS update goes on).
 */
class SelinuxStatusTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private static final String OLD_OS = "41.20250101.3.0";
  private static final String NEW_OS = "41.20250115.3.0";

  private final OSUpdatePolicy policy = policy();
  private final String target = Revisions.of(policy.getSpec());
  private final List<Round.NodeInput> inputs = new ArrayList<>();

  @Test
  void aBooleanChangeOnTheBootedOsIsLiveAndANewOsReboots() {
    node(
        "a", NodeState.Staged, OLD_OS, OSFamily.FedoraCoreOS, false, "httpd_x is off, declared on");
    node(
        "b", NodeState.Staged, NEW_OS, OSFamily.FedoraCoreOS, false, "httpd_x is off, declared on");
    node(
        "c", NodeState.Pending, OLD_OS, OSFamily.FedoraCoreOS, true, "httpd_x is off, declared on");

    OSUpdatePolicyStatus status = compose();

    assertThat(status.getSelinux().getLive())
        .containsExactly("httpd_x is off, declared on (1 node)");
    assertThat(status.getSelinux().getReboot())
        .containsExactly("OS " + NEW_OS + " (2 nodes)", "httpd_x is off, declared on (2 nodes)");
    assertThat(status.getSelinux().getLiveNodes()).isEqualTo(1);
    assertThat(status.getSelinux().getRebootNodes()).isEqualTo(2);
  }

  @Test
  void aDriftedNodeIsListedWithWhatDiffersAndIsNotAFailure() {
    node(
        "a",
        NodeState.UpToDate,
        NEW_OS,
        OSFamily.FedoraCoreOS,
        false,
        "running Permissive, declared Enforcing");

    OSUpdatePolicyStatus status = compose();

    assertThat(status.getSelinux().getDrifted()).isEqualTo(1);
    assertThat(status.getSelinux().getDriftedNodes())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getNode()).isEqualTo("a");
              assertThat(p.getReason()).isEqualTo(NodeReasons.SELINUX_DRIFT);
              assertThat(p.getMessage()).isEqualTo("running Permissive, declared Enforcing");
            });
    assertThat(status.getNodes().getFailed()).isZero();
    assertThat(status.getProblems()).isEmpty();
    assertThat(condition(status, RefitApi.DEGRADED).getStatus()).isEqualTo(Condition.Status.False);
  }

  @Test
  void bottlerocketNodesThatCannotHaveTheDeclaredPolicyAreNamedInDegradedAndStillUpdate() {
    node("br-1", NodeState.Pending, OLD_OS, OSFamily.Bottlerocket, true);
    node("br-2", NodeState.UpToDate, NEW_OS, OSFamily.Bottlerocket, false);
    node("fc-1", NodeState.Pending, OLD_OS, OSFamily.FedoraCoreOS, true);

    OSUpdatePolicyStatus status = compose();

    assertThat(status.getSelinux().getNotConfigurable()).isEqualTo(2);
    assertThat(status.getSelinux().getNotConfigurableNodes())
        .extracting(NodeProblem::getNode)
        .containsExactly("br-1", "br-2");
    assertThat(condition(status, RefitApi.DEGRADED))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo(Condition.Status.True);
              assertThat(c.getReason()).isEqualTo(PolicyReasons.SELINUX_NOT_CONFIGURABLE);
              assertThat(c.getMessage())
                  .startsWith(
                      "2 nodes (br-1, br-2) cannot have mode Permissive, booleans httpd_x,"
                          + " modules custom-web: their OS fixes its SELinux policy");
            });
    // the OS update of a Bottlerocket node goes on: it is told to stage like the others
    assertThat(roundOf().nodes())
        .filteredOn(n -> n.name().equals("br-1"))
        .singleElement()
        .satisfies(n -> assertThat(n.last().state()).isEqualTo(NodeState.Staging));
  }

  @Test
  void anEnforcingOnlyPolicyAsksNothingBottlerocketLacks() {
    policy.getSpec().getSelinux().setMode(SELinuxMode.Enforcing);
    policy.getSpec().getSelinux().setBooleans(List.of());
    policy.getSpec().getSelinux().setModules(List.of());
    node("br-1", NodeState.Pending, OLD_OS, OSFamily.Bottlerocket, true);

    OSUpdatePolicyStatus status = compose();

    assertThat(status.getSelinux() == null || status.getSelinux().getNotConfigurable() == 0)
        .isTrue();
    assertThat(condition(status, RefitApi.DEGRADED).getStatus()).isEqualTo(Condition.Status.False);
  }

  private static OSUpdatePolicy policy() {
    OSUpdatePolicy policy = Fixtures.policy("p", Map.of("pool", "p"), NEW_OS);
    SELinuxPolicy selinux = new SELinuxPolicy();
    selinux.setMode(SELinuxMode.Permissive);
    selinux.setBooleans(List.of(new SELinuxBoolean("httpd_x", true)));
    selinux.setModules(List.of(SELinuxModule.inline("custom-web", "(allow a b (c (d)))")));
    policy.getSpec().setSelinux(selinux);
    return policy;
  }

  /** A node whose agent reports its booted OS, family and SELinux differences. */
  private void node(
      String name,
      NodeState state,
      String booted,
      OSFamily family,
      boolean rebootPending,
      String... drift) {
    OSNode osNode = new OSNode();
    osNode.getMetadata().setName(name);
    OSNodeSpec spec = new OSNodeSpec();
    spec.setPolicy("p");
    spec.setDesiredRevision(target);
    spec.setState(state);
    spec.setStateSince(NOW.minusSeconds(10).toString());
    osNode.setSpec(spec);
    OSNodeStatus status = new OSNodeStatus();
    status.setFamily(family);
    status.setBooted(new HostDeployment(booted, null, null, null));
    boolean onTarget = state == NodeState.UpToDate && drift.length == 0;
    status.setCurrentRevision(onTarget ? target : "other-" + target);
    status.setStagedRevision(state == NodeState.Pending || onTarget ? null : target);
    status.setRebootPending(rebootPending);
    status.setSelinuxDrift(List.of(drift));
    if (family == OSFamily.Bottlerocket) {
      SELinuxStatus selinux = new SELinuxStatus();
      selinux.setConfigurable(false);
      status.setSelinux(selinux);
      status.setCurrentRevision(state == NodeState.UpToDate ? target : "other-" + target);
    }
    osNode.setStatus(status);
    inputs.add(
        new Round.NodeInput(
            Fixtures.node(name, Map.of("pool", "p")), osNode, DrainProgress.NOT_RUNNING, true));
  }

  private Round.Result roundOf() {
    Windows.State window = Windows.at(null, NOW);
    return Round.round(
        RoundSettings.of(
            policy.getSpec(), inputs.size(), SpecJudge.judge(policy.getSpec()), window, null),
        inputs,
        NOW);
  }

  private OSUpdatePolicyStatus compose() {
    Round.Result round = roundOf();
    return PolicyStatusComposer.compose(
        new PolicyStatusComposer.Inputs(
            policy,
            Claims.of(List.of(policy), List.of()),
            SpecJudge.judge(policy.getSpec()),
            round,
            Map.of(),
            Windows.at(null, NOW),
            NOW));
  }

  private static Condition condition(OSUpdatePolicyStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
