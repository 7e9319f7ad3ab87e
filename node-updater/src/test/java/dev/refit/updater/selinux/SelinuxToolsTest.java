package dev.refit.updater.selinux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxMode;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.Fixtures;
import dev.refit.updater.host.FakeCommandRunner;
import dev.refit.updater.host.FakeCommandRunner.Answer;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SelinuxToolsTest {

  static final List<String> CONFIG = List.of("cat", "/etc/selinux/config");
  static final String CIL = "(allow container_t mnt_t (file (read)))";

  final FakeCommandRunner runner = new FakeCommandRunner();
  final HostState state = HostState.inMemory("/var/lib/refit");
  final SelinuxTools tools = new SelinuxTools(runner, state);

  SelinuxToolsTest() {
    runner.succeed(List.of("getenforce"), Fixtures.read("getenforce-enforcing.txt"));
    runner.succeed(List.of("getsebool", "-a"), Fixtures.read("getsebool-a-excerpt-virt-rhel.txt"));
    runner.succeed(
        List.of("semodule", "--list-modules=full"),
        Fixtures.read("semodule-list-modules-full-rhel9-excerpt-with-disabled.txt"));
  }

  @Test
  void factsReadModeConfigBooleansAndOnlyTheModulesRefitInstalled() throws Exception {
    runner.succeed(CONFIG, Fixtures.read("selinux-config-fedora-enforcing.txt"));
    state.write("selinux-modules", "sweeppol 400 abcd\nabrt 400 ffff\n");

    SelinuxFacts facts = tools.facts();

    assertThat(facts.configurable()).isTrue();
    assertThat(facts.mode()).contains(HostSelinuxMode.ENFORCING);
    assertThat(facts.configuredMode()).contains(HostSelinuxMode.ENFORCING);
    assertThat(facts.booleans()).containsEntry("virt_sandbox_use_audit", true);
    // abrt is listed at priority 100, not at the 400 Refit installed it at: not Refit's
    assertThat(facts.modules()).containsOnlyKeys("sweeppol");
  }

  @Test
  void aDisabledHostIsReportedAsNotConfigurable() throws Exception {
    FakeCommandRunner disabled = new FakeCommandRunner();
    disabled.succeed(List.of("getenforce"), Fixtures.read("getenforce-disabled.txt"));
    disabled.succeed(CONFIG, Fixtures.read("selinux-config-fedora-enforcing.txt"));

    SelinuxFacts facts = new SelinuxTools(disabled, state).facts();

    assertThat(facts.configurable()).isFalse();
    assertThat(facts.mode()).contains(HostSelinuxMode.DISABLED);
  }

  @Test
  void theModeForTheNextBootIsWrittenAndReadBack() throws Exception {
    runner.answer(
        CONFIG,
        new Answer.Output(
            0, Fixtures.read("selinux-config-refit-permissive-trailing-space.txt"), ""));
    List<String> sed =
        List.of("sed", "-i", "-E", "s/^SELINUX=.*/SELINUX=permissive/", "/etc/selinux/config");
    runner.succeed(sed, "");
    SelinuxFacts enforcing =
        new SelinuxFacts(
            true,
            Optional.of(HostSelinuxMode.ENFORCING),
            Optional.of(HostSelinuxMode.ENFORCING),
            Map.of(),
            Map.of());

    tools.stageMode(SELinuxMode.Permissive, enforcing);

    assertThat(runner.commands()).containsExactly(sed, CONFIG);
  }

  @Test
  void aConfigThatDoesNotChangeIsAnError() {
    runner.succeed(CONFIG, Fixtures.read("selinux-config-fedora-enforcing.txt"));
    runner.succeed(
        List.of("sed", "-i", "-E", "s/^SELINUX=.*/SELINUX=permissive/", "/etc/selinux/config"), "");
    SelinuxFacts enforcing =
        new SelinuxFacts(
            true,
            Optional.of(HostSelinuxMode.ENFORCING),
            Optional.of(HostSelinuxMode.ENFORCING),
            Map.of(),
            Map.of());

    assertThatThrownBy(() -> tools.stageMode(SELinuxMode.Permissive, enforcing))
        .isInstanceOf(HostException.class)
        .hasMessageContaining("SELINUX=");
  }

  @Test
  void booleansAreSetInOneCallAndModulesInstalledAtTheirPriorityThenRecorded() throws Exception {
    SELinuxPolicy policy = new SELinuxPolicy();
    policy.setBooleans(
        List.of(
            new SELinuxBoolean("virt_use_nfs", true),
            new SELinuxBoolean("virt_sandbox_use_audit", true)));
    policy.setModules(List.of(SELinuxModule.inline("refit_mounts", CIL)));
    SelinuxFacts facts =
        new SelinuxFacts(
            true,
            Optional.of(HostSelinuxMode.ENFORCING),
            Optional.of(HostSelinuxMode.ENFORCING),
            Map.of("virt_use_nfs", false, "virt_sandbox_use_audit", true),
            Map.of(
                "old_module",
                new SelinuxFacts.InstalledModule("old_module", 450, "0123456789abcdef")));
    List<String> setsebool = List.of("setsebool", "-P", "virt_use_nfs=on");
    List<String> install =
        List.of("semodule", "-X", "400", "-i", "/var/lib/refit/selinux/refit_mounts.cil");
    List<String> remove = List.of("semodule", "-X", "450", "-r", "old_module");
    runner.succeed(setsebool, "");
    runner.succeed(install, "");
    runner.succeed(remove, "");

    tools.applyLive(policy, Map.of("refit_mounts", CIL), facts);

    assertThat(runner.commands()).containsExactly(setsebool, install, remove);
    assertThat(state.read("selinux/refit_mounts.cil")).contains(CIL);
    assertThat(state.read("selinux-modules"))
        .contains("refit_mounts 400 " + ModuleDigests.of(CIL) + "\n");
  }

  @Test
  void aFailingSemoduleIsAnErrorQuotingItsOutput() {
    SELinuxPolicy policy = new SELinuxPolicy();
    policy.setModules(List.of(SELinuxModule.inline("refit_mounts", CIL)));
    runner.fail(
        List.of("semodule", "-X", "400", "-i", "/var/lib/refit/selinux/refit_mounts.cil"),
        1,
        "Failed to resolve typeattributeset statement\n");
    SelinuxFacts facts =
        new SelinuxFacts(
            true,
            Optional.of(HostSelinuxMode.ENFORCING),
            Optional.of(HostSelinuxMode.ENFORCING),
            Map.of(),
            Map.of());

    assertThatThrownBy(() -> tools.applyLive(policy, Map.of("refit_mounts", CIL), facts))
        .isInstanceOf(HostException.class)
        .hasMessageContaining("semodule -X 400 -i")
        .hasMessageContaining("Failed to resolve");
  }
}
