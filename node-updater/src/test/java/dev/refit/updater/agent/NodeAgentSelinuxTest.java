package dev.refit.updater.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ActionState;
import dev.refit.api.NodeAction;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxMode;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.backend.fake.FakeHost;
import dev.refit.updater.backend.fake.FakeMachine;
import dev.refit.updater.backend.fake.FakeSelinux;
import dev.refit.updater.selinux.HostSelinuxMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent over the fake host's SELinux: a mode switch and booleans applied live without a boot, a
 * hand-made change reported as drift at the next fact refresh and put back by the next Apply, and a
 * module that does not compile reported with semodule's message.
 */
class NodeAgentSelinuxTest {

  static final String VERSION = "41.20250101.3.0";
  static final OSTarget TARGET = OSTarget.version(VERSION);

  final ManualClock clock = new ManualClock();
  final MemoryApi api = new MemoryApi("worker-1");
  final FakeHost host =
      new FakeHost(
          OSFamily.FedoraCoreOS,
          FakeHost.deploymentOf(TARGET),
          FakeMachine.inMemory("worker-1"),
          clock);
  final NodeAgent agent = NodeAgentTest.steppedByHand(host, api, clock);

  static SELinuxPolicy policy(String cil) {
    SELinuxPolicy policy = new SELinuxPolicy();
    policy.setMode(SELinuxMode.Permissive);
    policy.setBooleans(List.of(new SELinuxBoolean("httpd_can_network_connect", true)));
    policy.setModules(List.of(SELinuxModule.inline("nginx-custom", cil)));
    return policy;
  }

  /** One step, as an OSNode event or the periodic fact refresh starts it. */
  OSNodeStatus step() {
    agent.onOsNode(api.get());
    agent.stepNow();
    clock.advance(Duration.ofSeconds(1));
    return api.status();
  }

  @Test
  void aModeSwitchAndABooleanApplyLiveAndHandMadeDriftIsReportedThenPutBack() {
    SELinuxPolicy policy = policy("(type nginx_custom_t)\n");
    api.instruct(TARGET, policy, NodeAction.Stage, "s1");
    OSNodeStatus staged = step();
    assertThat(staged.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(staged.getRebootPending()).isFalse();
    assertThat(host.selinux().mode()).isEqualTo(HostSelinuxMode.ENFORCING);

    api.instruct(TARGET, policy, NodeAction.Apply, "a1");
    OSNodeStatus applied = step();
    assertThat(applied.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(applied.getCurrentRevision()).isEqualTo(api.get().getSpec().getDesiredRevision());
    assertThat(applied.getSelinuxDrift()).isNull();
    assertThat(host.selinux().mode()).isEqualTo(HostSelinuxMode.PERMISSIVE);
    assertThat(host.selinux().configuredMode()).isEqualTo(HostSelinuxMode.PERMISSIVE);
    assertThat(host.boots()).isZero();

    host.selinux().setBooleanByHand("httpd_can_network_connect", false, true);
    host.selinux().setenforceByHand(HostSelinuxMode.ENFORCING);
    OSNodeStatus drifted = step();
    assertThat(drifted.getSelinuxDrift())
        .containsExactly(
            "running Enforcing, declared Permissive",
            "httpd_can_network_connect is off, declared on");
    assertThat(drifted.getCurrentRevision()).isNotEqualTo(applied.getCurrentRevision());
    assertThat(drifted.getStagedRevision()).isEqualTo(applied.getCurrentRevision());
    assertThat(drifted.getRebootPending()).isFalse();

    api.instruct(TARGET, policy, NodeAction.Apply, "a2");
    OSNodeStatus putBack = step();
    assertThat(putBack.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(putBack.getSelinuxDrift()).isNull();
    assertThat(host.selinux().booleanNow("httpd_can_network_connect")).contains(true);
    assertThat(host.boots()).isZero();
  }

  @Test
  void aModuleThatDoesNotCompileFailsTheApplyWithSemodulesMessage() {
    SELinuxPolicy policy =
        policy("(typeattributeset " + FakeSelinux.COMPILE_ERROR_MARKER + " (x))\n");
    api.instruct(TARGET, policy, NodeAction.Apply, "a1");

    OSNodeStatus failed = step();

    assertThat(failed.getActionState()).isEqualTo(ActionState.Failed);
    assertThat(failed.getLastError().getReason()).isEqualTo("CommandFailed");
    assertThat(failed.getLastError().getMessage())
        .contains("semodule -X 400 -i /var/lib/refit/selinux/nginx-custom.cil")
        .contains("Failed to resolve AST");
    assertThat(host.selinux().priorities("nginx-custom")).isEmpty();
    assertThat(host.boots()).isZero();
  }
}
