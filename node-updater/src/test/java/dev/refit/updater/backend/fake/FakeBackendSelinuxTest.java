package dev.refit.updater.backend.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.NodeAction;
import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxMode;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.agent.Desired;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.agent.HostRevisions;
import dev.refit.updater.agent.SelinuxDrift;
import dev.refit.updater.agent.TargetMatch;
import dev.refit.updater.host.HostException;
import dev.refit.updater.selinux.HostSelinuxMode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fake backend applies SELinux with the agent's own tools over the in-memory host. */
class FakeBackendSelinuxTest {

  static final String VERSION = "41.20250101.3.0";
  static final String REVISION = "0123456789ab";
  static final String CIL = "(allow container_t mnt_t (file (read)))\n";

  final FakeHost host =
      new FakeHost(
          OSFamily.FedoraCoreOS,
          FakeHost.deploymentOf(OSTarget.version(VERSION)),
          FakeMachine.inMemory("w-1"),
          Clock.systemUTC());
  final FakeBackend backend = new FakeBackend(host);

  static SELinuxPolicy policy(String cil) {
    SELinuxPolicy policy = new SELinuxPolicy();
    policy.setMode(SELinuxMode.Permissive);
    policy.setBooleans(List.of(new SELinuxBoolean("httpd_can_network_connect", true)));
    policy.setModules(List.of(SELinuxModule.inline("nginx-custom", cil)));
    return policy;
  }

  static Desired desired(String cil) {
    return new Desired(
        Optional.of(REVISION),
        OSTarget.version(VERSION),
        policy(cil),
        Map.of("nginx-custom", dev.refit.updater.selinux.ModuleDigests.of(cil)),
        NodeAction.None,
        null);
  }

  @Test
  void aLiveApplyPutsModeBooleanAndModuleInForceWithoutABoot() throws Exception {
    backend.applyLive(policy(CIL), Map.of("nginx-custom", CIL), backend.facts());

    HostFacts after = backend.facts();
    assertThat(host.selinux().mode()).isEqualTo(HostSelinuxMode.PERMISSIVE);
    assertThat(host.selinux().configuredMode()).isEqualTo(HostSelinuxMode.PERMISSIVE);
    assertThat(host.selinux().booleanAtBoot("httpd_can_network_connect")).contains(true);
    assertThat(host.selinux().priorities("nginx-custom")).containsExactly(400);
    assertThat(SelinuxDrift.describe(desired(CIL), after)).isEmpty();
    assertThat(HostRevisions.current(desired(CIL), after)).isEqualTo(REVISION);
    assertThat(host.boots()).isZero();
  }

  @Test
  void handMadeChangesShowAsDriftInWordsAndAreReadyToBePutBackLive() throws Exception {
    backend.applyLive(policy(CIL), Map.of("nginx-custom", CIL), backend.facts());
    host.selinux().setBooleanByHand("httpd_can_network_connect", false, true);
    host.selinux().removeModuleByHand("nginx-custom");
    host.selinux().setenforceByHand(HostSelinuxMode.ENFORCING);

    HostFacts drifted = backend.facts();

    assertThat(SelinuxDrift.describe(desired(CIL), drifted))
        .containsExactly(
            "running Enforcing, declared Permissive",
            "httpd_can_network_connect is off, declared on",
            "module nginx-custom is not installed, declared at priority 400");
    assertThat(HostRevisions.current(desired(CIL), drifted)).isNotEqualTo(REVISION);
    assertThat(HostRevisions.staged(desired(CIL), drifted)).isEqualTo(REVISION);
    assertThat(TargetMatch.needsReboot(desired(CIL), drifted)).isFalse();

    backend.applyLive(policy(CIL), Map.of("nginx-custom", CIL), drifted);

    assertThat(SelinuxDrift.describe(desired(CIL), backend.facts())).isEmpty();
  }

  @Test
  void aBootBringsBackPersistedBooleansSoARuntimeOnlyFlipIsGoneAfterIt() throws Exception {
    backend.applyLive(policy(CIL), Map.of("nginx-custom", CIL), backend.facts());
    host.selinux().setBooleanByHand("httpd_can_network_connect", false, false);
    assertThat(SelinuxDrift.describe(desired(CIL), backend.facts())).hasSize(1);

    host.reboot(false);

    assertThat(SelinuxDrift.describe(desired(CIL), backend.facts())).isEmpty();
  }

  @Test
  void aModuleThatDoesNotCompileFailsTheApplyWithSemodulesMessage() throws Exception {
    String broken = "(typeattributeset " + FakeSelinux.COMPILE_ERROR_MARKER + " (x))\n";

    assertThatThrownBy(
            () ->
                backend.applyLive(policy(broken), Map.of("nginx-custom", broken), backend.facts()))
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(HostException.COMMAND_FAILED))
        .hasMessageContaining("semodule -X 400 -i /var/lib/refit/selinux/nginx-custom.cil")
        .hasMessageContaining("Failed to resolve AST");
    assertThat(host.selinux().priorities("nginx-custom")).isEmpty();
  }

  @Test
  void aHostBootedWithSelinuxDisabledIsStagedForABootThatTurnsItOn() throws Exception {
    host.withSelinuxMode(HostSelinuxMode.DISABLED);
    Desired desired = desired(CIL);
    HostFacts off = backend.facts();
    assertThat(TargetMatch.needsReboot(desired, off)).isTrue();
    assertThat(HostRevisions.staged(desired, off)).isNotEqualTo(REVISION);

    backend.stage(OSTarget.version(VERSION), desired.selinux(), off);

    HostFacts staged = backend.facts();
    assertThat(HostRevisions.staged(desired, staged)).isEqualTo(REVISION);
    host.reboot(false);
    HostFacts on = backend.facts();
    assertThat(on.selinux().mode()).contains(HostSelinuxMode.PERMISSIVE);
    assertThat(TargetMatch.needsReboot(desired, on)).isFalse();
    assertThat(SelinuxDrift.describe(desired, on))
        .containsExactly(
            "httpd_can_network_connect is off, declared on",
            "module nginx-custom is not installed, declared at priority 400");
  }

  @Test
  void bottlerocketsFixedPolicyIsReportedAndNeverChanged() throws Exception {
    FakeHost bottlerocket =
        new FakeHost(
            OSFamily.Bottlerocket,
            FakeHost.deploymentOf(OSTarget.version("1.20.0")),
            FakeMachine.inMemory("b-1"),
            Clock.systemUTC());
    FakeBackend fixed = new FakeBackend(bottlerocket);

    fixed.applyLive(policy(CIL), Map.of("nginx-custom", CIL), fixed.facts());

    assertThat(fixed.facts().selinux().configurable()).isFalse();
    assertThat(bottlerocket.selinux().mode()).isEqualTo(HostSelinuxMode.ENFORCING);
    assertThat(bottlerocket.selinux().priorities("nginx-custom")).isEmpty();
  }
}
