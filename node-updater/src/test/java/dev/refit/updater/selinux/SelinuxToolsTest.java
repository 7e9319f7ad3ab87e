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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    tools.configureBootMode(SELinuxMode.Permissive, enforcing);

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

    assertThatThrownBy(() -> tools.configureBootMode(SELinuxMode.Permissive, enforcing))
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

  static SelinuxFacts withModules(
      List<SelinuxFacts.InstalledModule> superseded, SelinuxFacts.InstalledModule... inForce) {
    Map<String, SelinuxFacts.InstalledModule> modules = new java.util.TreeMap<>();
    for (SelinuxFacts.InstalledModule m : inForce) {
      modules.put(m.name(), m);
    }
    return new SelinuxFacts(
        true,
        Optional.of(HostSelinuxMode.ENFORCING),
        Optional.of(HostSelinuxMode.ENFORCING),
        Map.of(),
        modules,
        superseded);
  }

  static SELinuxPolicy module(String name, int priority) {
    SELinuxModule module = SELinuxModule.inline(name, CIL);
    module.setPriority(priority);
    SELinuxPolicy policy = new SELinuxPolicy();
    policy.setModules(List.of(module));
    return policy;
  }

  static final String DIGEST = ModuleDigests.of(CIL);

  static final List<String> INSTALL_AT_400 =
      List.of("semodule", "-X", "400", "-i", "/var/lib/refit/selinux/refit_mounts.cil");
  static final List<String> REMOVE_AT_500 = List.of("semodule", "-X", "500", "-r", "refit_mounts");

  /** Moves refit_mounts, which Refit installed at 500, to 400. */
  void changePriorityFrom500To400() throws HostException {
    state.write("selinux-modules", "refit_mounts 500 " + DIGEST + "\n");
    tools.applyLive(
        module("refit_mounts", 400),
        Map.of("refit_mounts", CIL),
        withModules(List.of(), new SelinuxFacts.InstalledModule("refit_mounts", 500, DIGEST)));
  }

  @Test
  void aPriorityChangeInstallsAtTheNewPriorityThenRemovesTheOldCopy() throws Exception {
    runner.succeed(INSTALL_AT_400, "");
    runner.succeed(REMOVE_AT_500, "");

    changePriorityFrom500To400();

    assertThat(runner.commands()).containsExactly(INSTALL_AT_400, REMOVE_AT_500);
    assertThat(state.read("selinux-modules")).contains("refit_mounts 400 " + DIGEST + "\n");
    assertThat(state.read("selinux/refit_mounts.cil")).contains(CIL);
  }

  @Test
  void anInstallThatFailsLeavesBothCopiesInTheLedgerAndTheOldOneInPlace() {
    runner.fail(INSTALL_AT_400, 1, "semodule: Failed!\n");

    assertThatThrownBy(this::changePriorityFrom500To400).isInstanceOf(HostException.class);

    // the new copy was recorded before semodule ran; the old one is still Refit's to remove
    assertThat(state.read("selinux-modules"))
        .contains("refit_mounts 500 " + DIGEST + "\nrefit_mounts 400 " + DIGEST + "\n");
    assertThat(runner.commands()).noneMatch(argv -> argv.contains("-r"));
  }

  @Test
  void aRemovalThatFailsKeepsTheOldCopyInTheLedger() {
    runner.succeed(INSTALL_AT_400, "");
    runner.fail(REMOVE_AT_500, 1, "semodule: Failed!\n");

    assertThatThrownBy(this::changePriorityFrom500To400).isInstanceOf(HostException.class);

    assertThat(state.read("selinux-modules"))
        .contains("refit_mounts 500 " + DIGEST + "\nrefit_mounts 400 " + DIGEST + "\n");
  }

  @Test
  void anInterruptedPriorityChangeShowsTheHigherCopyInForceAndTheLowerSuperseded()
      throws Exception {
    state.write(
        "selinux-modules", "refit_mounts 400 " + DIGEST + "\nrefit_mounts 500 " + DIGEST + "\n");

    SelinuxFacts facts = new SelinuxTools(runnerListingTwoPriorities(), state).facts();

    assertThat(facts.modules())
        .containsExactly(
            Map.entry(
                "refit_mounts", new SelinuxFacts.InstalledModule("refit_mounts", 500, DIGEST)));
    assertThat(facts.superseded())
        .containsExactly(new SelinuxFacts.InstalledModule("refit_mounts", 400, DIGEST));
  }

  private static FakeCommandRunner runnerListingTwoPriorities() {
    FakeCommandRunner fresh = new FakeCommandRunner();
    fresh.succeed(List.of("getenforce"), Fixtures.read("getenforce-enforcing.txt"));
    fresh.succeed(CONFIG, Fixtures.read("selinux-config-fedora-enforcing.txt"));
    fresh.succeed(List.of("getsebool", "-a"), Fixtures.read("getsebool-a-excerpt-virt-rhel.txt"));
    fresh.succeed(
        List.of("semodule", "--list-modules=full"),
        Fixtures.read("semodule-list-modules-full-refit-two-priorities.txt"));
    return fresh;
  }

  /** refit_mounts as a priority change from 400 to 500 left it: at both, recorded at both. */
  SelinuxFacts leftAt400AndInForceAt500() {
    state.write("selinux/refit_mounts.cil", CIL);
    state.write(
        "selinux-modules", "refit_mounts 400 " + DIGEST + "\nrefit_mounts 500 " + DIGEST + "\n");
    return withModules(
        List.of(new SelinuxFacts.InstalledModule("refit_mounts", 400, DIGEST)),
        new SelinuxFacts.InstalledModule("refit_mounts", 500, DIGEST));
  }

  @Test
  void aSupersededCopyIsRemovedWhenTheCopyInForceIsTheWantedOne() throws Exception {
    List<String> remove = List.of("semodule", "-X", "400", "-r", "refit_mounts");
    runner.succeed(remove, "");

    tools.applyLive(
        module("refit_mounts", 500), Map.of("refit_mounts", CIL), leftAt400AndInForceAt500());

    assertThat(runner.commands()).containsExactly(remove);
    assertThat(state.read("selinux-modules")).contains("refit_mounts 500 " + DIGEST + "\n");
    assertThat(state.read("selinux/refit_mounts.cil")).contains(CIL);
  }

  @Test
  void aModuleLeavingThePolicyIsRemovedAtEveryPriorityRefitInstalledIt() throws Exception {
    List<String> removeHigher = List.of("semodule", "-X", "500", "-r", "refit_mounts");
    List<String> removeLower = List.of("semodule", "-X", "400", "-r", "refit_mounts");
    runner.succeed(removeHigher, "");
    runner.succeed(removeLower, "");

    tools.applyLive(new SELinuxPolicy(), Map.of(), leftAt400AndInForceAt500());

    assertThat(runner.commands()).containsExactly(removeHigher, removeLower);
    assertThat(state.read("selinux-modules")).contains("");
    assertThat(state.read("selinux/refit_mounts.cil")).isEmpty();
  }

  @Test
  void aModuleNamedAsLibsemanageAllowsIsInstalledFromAFileOfThatName() throws Exception {
    List<String> install =
        List.of("semodule", "-X", "400", "-i", "/var/lib/refit/selinux/nginx-custom.v2.cil");
    runner.succeed(install, "");

    tools.applyLive(
        module("nginx-custom.v2", 400), Map.of("nginx-custom.v2", CIL), withModules(List.of()));

    assertThat(runner.commands()).containsExactly(install);
    assertThat(state.read("selinux-modules")).contains("nginx-custom.v2 400 " + DIGEST + "\n");
  }

  @ParameterizedTest(name = "module name {0} is refused before anything is written")
  @ValueSource(strings = {"../../etc/selinux/config", "-r", "nginx/custom", "nginx..custom", "a."})
  void aModuleNameThatCouldLeaveItsDirectoryOrReadAsAnOptionIsRefused(String name) {
    assertThatThrownBy(
            () -> tools.applyLive(module(name, 400), Map.of(name, CIL), withModules(List.of())))
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(SelinuxTools.INVALID_MODULE_NAME));

    assertThat(runner.commands()).isEmpty();
    assertThat(state.read("selinux-modules")).isEmpty();
    assertThat(state.read("selinux/" + name + ".cil")).isEmpty();
  }

  @Test
  void aLedgerNamingAModuleOutsideTheRuleIsNotTrusted() {
    runner.succeed(CONFIG, Fixtures.read("selinux-config-fedora-enforcing.txt"));
    state.write("selinux-modules", "-X 400 abcd\n");

    assertThatThrownBy(tools::facts)
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(HostException.UNPARSEABLE_OUTPUT));
  }
}
