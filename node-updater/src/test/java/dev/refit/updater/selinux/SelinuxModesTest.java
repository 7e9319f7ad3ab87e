package dev.refit.updater.selinux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxMode;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.Fixtures;
import dev.refit.updater.host.FakeCommandRunner;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The mode switched live with setenforce and kept for the next boot in /etc/selinux/config. */
class SelinuxModesTest {

  static final List<String> GETENFORCE = List.of("getenforce");
  static final List<String> CONFIG = List.of("cat", "/etc/selinux/config");
  static final List<String> SETENFORCE_0 = List.of("setenforce", "0");
  static final List<String> SETENFORCE_1 = List.of("setenforce", "1");
  static final List<String> SED_PERMISSIVE =
      List.of("sed", "-i", "-E", "s/^SELINUX=.*/SELINUX=permissive/", "/etc/selinux/config");

  final FakeCommandRunner runner = new FakeCommandRunner();
  final SelinuxTools tools = new SelinuxTools(runner, HostState.inMemory("/var/lib/refit"));

  static SelinuxFacts facts(HostSelinuxMode running, HostSelinuxMode configured) {
    return new SelinuxFacts(
        true,
        Optional.of(running),
        Optional.of(configured),
        Map.of("virt_use_nfs", false),
        Map.of());
  }

  static SELinuxPolicy mode(SELinuxMode mode) {
    SELinuxPolicy policy = new SELinuxPolicy();
    policy.setMode(mode);
    return policy;
  }

  void permissiveOnAnEnforcingHost() throws HostException {
    tools.applyLive(
        mode(SELinuxMode.Permissive),
        Map.of(),
        facts(HostSelinuxMode.ENFORCING, HostSelinuxMode.ENFORCING));
  }

  @Test
  void enforcingToPermissiveSwitchesNowAndForTheNextBootThenReadsBothBack() throws Exception {
    runner.succeed(SETENFORCE_0, "");
    runner.succeed(SED_PERMISSIVE, "");
    runner.succeed(GETENFORCE, Fixtures.read("getenforce-permissive.txt"));
    runner.succeed(CONFIG, Fixtures.read("selinux-config-refit-permissive-trailing-space.txt"));

    tools.applyLive(
        mode(SELinuxMode.Permissive),
        Map.of(),
        facts(HostSelinuxMode.ENFORCING, HostSelinuxMode.ENFORCING));

    assertThat(runner.commands()).containsExactly(SETENFORCE_0, SED_PERMISSIVE, GETENFORCE, CONFIG);
  }

  @Test
  void aModeRunningButNotConfiguredOnlyRewritesTheFile() throws Exception {
    runner.succeed(SED_PERMISSIVE, "");
    runner.succeed(GETENFORCE, Fixtures.read("getenforce-permissive.txt"));
    runner.succeed(CONFIG, Fixtures.read("selinux-config-refit-permissive-trailing-space.txt"));

    tools.applyLive(
        mode(SELinuxMode.Permissive),
        Map.of(),
        facts(HostSelinuxMode.PERMISSIVE, HostSelinuxMode.ENFORCING));

    assertThat(runner.commands()).doesNotContain(SETENFORCE_0).contains(SED_PERMISSIVE);
  }

  @Test
  void aModeAlreadyInForceRunsNothing() throws Exception {
    tools.applyLive(
        mode(SELinuxMode.Enforcing),
        Map.of(),
        facts(HostSelinuxMode.ENFORCING, HostSelinuxMode.ENFORCING));

    assertThat(runner.commands()).isEmpty();
  }

  @Test
  void booleansComeBeforeTheSwitchToEnforcing() throws Exception {
    SELinuxPolicy policy = mode(SELinuxMode.Enforcing);
    policy.setBooleans(List.of(new SELinuxBoolean("virt_use_nfs", true)));
    List<String> setsebool = List.of("setsebool", "-P", "virt_use_nfs=on");
    runner.succeed(setsebool, "");
    runner.succeed(SETENFORCE_1, "");
    runner.succeed(GETENFORCE, Fixtures.read("getenforce-enforcing.txt"));
    runner.succeed(CONFIG, Fixtures.read("selinux-config-fedora-enforcing.txt"));

    tools.applyLive(policy, Map.of(), facts(HostSelinuxMode.PERMISSIVE, HostSelinuxMode.ENFORCING));

    assertThat(runner.commands()).containsExactly(setsebool, SETENFORCE_1, GETENFORCE, CONFIG);
  }

  @Test
  void setenforceOnAHostWithSelinuxDisabledFailsWithTheToolsOwnMessage() {
    runner.fail(SETENFORCE_1, 1, Fixtures.read("setenforce-refit-selinux-disabled.txt"));

    assertThatThrownBy(
            () ->
                tools.applyLive(
                    mode(SELinuxMode.Enforcing),
                    Map.of(),
                    facts(HostSelinuxMode.PERMISSIVE, HostSelinuxMode.PERMISSIVE)))
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(SelinuxTools.SETENFORCE_FAILED))
        .hasMessageContaining("setenforce: SELinux is disabled")
        .hasMessageContaining("only a boot with SELINUX=enforcing");
    assertThat(runner.commands()).containsExactly(SETENFORCE_1);
  }

  @Test
  void aKernelThatRefusesTheSwitchIsReportedWithSetenforcesMessageAndTheFileIsLeftAlone() {
    runner.fail(SETENFORCE_0, 2, Fixtures.read("setenforce-refit-permission-denied.txt"));

    assertThatThrownBy(this::permissiveOnAnEnforcingHost)
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(SelinuxTools.SETENFORCE_FAILED))
        .hasMessageContaining("security_setenforce() failed:  Permission denied")
        .hasMessageContaining("secure_mode_policyload");
    assertThat(runner.commands()).containsExactly(SETENFORCE_0);
  }

  @Test
  void aSetenforceThatExitsZeroWithoutEffectIsNotASuccess() {
    runner.succeed(SETENFORCE_0, "");
    runner.succeed(SED_PERMISSIVE, "");
    runner.succeed(GETENFORCE, Fixtures.read("getenforce-enforcing.txt"));

    assertThatThrownBy(this::permissiveOnAnEnforcingHost)
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(SelinuxTools.MODE_NOT_APPLIED))
        .hasMessage(
            "getenforce says Enforcing after setenforce 0 exited 0; the running mode is not"
                + " Permissive");
  }

  @Test
  void anUnreadableGetenforceAfterTheSwitchIsAnError() {
    runner.succeed(SETENFORCE_0, "");
    runner.succeed(SED_PERMISSIVE, "");
    runner.succeed(GETENFORCE, "permissive\n");

    assertThatThrownBy(this::permissiveOnAnEnforcingHost)
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(HostException.UNPARSEABLE_OUTPUT));
  }
}
