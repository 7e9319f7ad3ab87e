package dev.refit.updater.backend.fake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.updater.Fixtures;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.HostState;
import dev.refit.updater.selinux.GetseboolParser;
import dev.refit.updater.selinux.HostSelinuxMode;
import dev.refit.updater.selinux.SelinuxModule;
import dev.refit.updater.selinux.SemoduleParser;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory SELinux host behaves as the real tools do, through the same command lines. */
class FakeSelinuxTest {

  static final String CIL = "(allow container_t mnt_t (file (read)))\n";

  final FakeSelinux selinux = new FakeSelinux();
  final HostState varLib = HostState.inMemory("/var/lib/refit");
  final FakeSelinuxCommands tools = new FakeSelinuxCommands(selinux, varLib);

  CommandResult run(String... argv) throws Exception {
    return tools.execute(List.of(argv), Duration.ofSeconds(1));
  }

  @Test
  void setseboolWithoutPChangesOnlyTheRunningValueAndABootPutsThePersistedOneBack()
      throws Exception {
    assertThat(run("setsebool", "virt_use_nfs=on").exitCode()).isZero();

    assertThat(selinux.booleanNow("virt_use_nfs")).contains(true);
    assertThat(selinux.booleanAtBoot("virt_use_nfs")).contains(false);
    selinux.boot();
    assertThat(selinux.booleanNow("virt_use_nfs")).contains(false);
  }

  @Test
  void setseboolWithPChangesBothAndSurvivesABoot() throws Exception {
    assertThat(run("setsebool", "-P", "virt_use_nfs=on", "container_manage_cgroup=1").exitCode())
        .isZero();
    selinux.boot();

    assertThat(GetseboolParser.parse(run("getsebool", "-a").stdout()).current("virt_use_nfs"))
        .contains(true);
    assertThat(selinux.booleanNow("container_manage_cgroup")).contains(true);
  }

  @Test
  void anUnknownBooleanChangesNothingAndSaysSoAsSetseboolDoes() throws Exception {
    CommandResult result = run("setsebool", "-P", "virt_use_nfs=on", "no_such_bool=on");

    assertThat(result.exitCode()).isEqualTo(255);
    assertThat(result.stderr()).isEqualTo("Boolean no_such_bool is not defined\n");
    assertThat(selinux.booleanNow("virt_use_nfs")).contains(false);
  }

  @Test
  void setenforceChangesTheRunningModeOnlyAndTheConfigFileDecidesTheNextBoot() throws Exception {
    assertThat(run("setenforce", "0").exitCode()).isZero();
    assertThat(run("getenforce").stdout()).isEqualTo("Permissive\n");
    assertThat(run("cat", "/etc/selinux/config").stdout()).contains("SELINUX=enforcing\n");

    selinux.boot();

    assertThat(run("getenforce").stdout()).isEqualTo("Enforcing\n");
  }

  @Test
  void aHostBootedWithSelinuxDisabledCannotSwitchItOnLiveOnlyByABoot() throws Exception {
    selinux.withMode(HostSelinuxMode.DISABLED);

    CommandResult refused = run("setenforce", "1");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr()).isEqualTo(Fixtures.read("setenforce-refit-selinux-disabled.txt"));
    assertThat(run("getsebool", "-a").combinedOutput()).contains("SELinux is disabled");

    assertThat(
            run("sed", "-i", "-E", "s/^SELINUX=.*/SELINUX=permissive/", "/etc/selinux/config")
                .exitCode())
        .isZero();
    selinux.boot();
    assertThat(run("getenforce").stdout()).isEqualTo("Permissive\n");
  }

  @Test
  void aKernelThatRefusesTheSwitchPrintsSetenforcesMessage() throws Exception {
    selinux.refuseSetenforce(true);

    CommandResult refused = run("setenforce", "0");

    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.stderr()).isEqualTo(Fixtures.read("setenforce-refit-permission-denied.txt"));
    assertThat(selinux.mode()).isEqualTo(HostSelinuxMode.ENFORCING);
  }

  @Test
  void theCopyAtTheHighestPriorityIsInForceAndRemovingItBringsTheLowerOneBack() throws Exception {
    varLib.write("selinux/refit_mounts.cil", CIL);
    run("semodule", "-X", "400", "-i", "/var/lib/refit/selinux/refit_mounts.cil");
    varLib.write("selinux/refit_mounts.cil", CIL + "; v2\n");
    run("semodule", "-X", "500", "-i", "/var/lib/refit/selinux/refit_mounts.cil");

    List<SelinuxModule> listed =
        SemoduleParser.parseFull(run("semodule", "--list-modules=full").stdout());
    assertThat(listed)
        .filteredOn(m -> m.name().equals("refit_mounts"))
        .extracting(m -> m.priority().getAsInt())
        .containsExactly(500, 400);
    assertThat(selinux.sourceInForce("refit_mounts")).contains(CIL + "; v2\n");

    assertThat(run("semodule", "-X", "500", "-r", "refit_mounts").exitCode()).isZero();
    assertThat(selinux.sourceInForce("refit_mounts")).contains(CIL);
    assertThat(selinux.priorities("refit_mounts")).containsExactly(400);
  }

  @Test
  void removingACopyThatIsNotThereFailsAsLibsemanageDoes() throws Exception {
    CommandResult result = run("semodule", "-X", "400", "-r", "nginx-custom");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr())
        .isEqualTo(
            "libsemanage.semanage_direct_remove_key: Unable to remove module nginx-custom at"
                + " priority 400. (No such file or directory).\nsemodule:  Failed!\n");
  }

  @Test
  void aCilThatDoesNotCompileFailsWithSemodulesMessageAndInstallsNothing() throws Exception {
    varLib.write(
        "selinux/nginx-custom.cil",
        "(type nginx_custom_t)\n(roletype system_r nginx_custom_t)\n(typeattributeset "
            + FakeSelinux.COMPILE_ERROR_MARKER
            + " (nginx_custom_t))\n");

    CommandResult result =
        run("semodule", "-X", "400", "-i", "/var/lib/refit/selinux/nginx-custom.cil");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).isEqualTo(Fixtures.read("semodule-i-refit-failed-to-resolve.txt"));
    assertThat(selinux.priorities("nginx-custom")).isEmpty();
  }

  @Test
  void changesByHandAreWhatTheToolsThenShow() throws Exception {
    varLib.write("selinux/nginx-custom.cil", CIL);
    run("semodule", "-X", "400", "-i", "/var/lib/refit/selinux/nginx-custom.cil");

    assertThat(selinux.setBooleanByHand("virt_use_nfs", true, false)).isEmpty();
    assertThat(selinux.setenforceByHand(HostSelinuxMode.PERMISSIVE)).isEmpty();
    assertThat(selinux.removeModuleByHand("nginx-custom")).isEmpty();

    assertThat(run("getsebool", "-a").stdout()).contains("virt_use_nfs --> on\n");
    assertThat(run("getenforce").stdout()).isEqualTo("Permissive\n");
    assertThat(run("semodule", "--list-modules=full").stdout()).doesNotContain("nginx-custom");
    assertThat(selinux.removeModuleByHand("nginx-custom")).isPresent();
  }

  @Test
  void aCommandTheToolsDoNotHaveFailsToStart() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> run("semodule", "-i", "x.cil"))
        .isInstanceOf(dev.refit.updater.host.CommandStartException.class);
  }
}
