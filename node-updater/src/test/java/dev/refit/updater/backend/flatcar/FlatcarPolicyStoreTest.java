package dev.refit.updater.backend.flatcar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.HostDeployment;
import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxMode;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.Fixtures;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.backend.HostBoot;
import dev.refit.updater.backend.ScriptedHost;
import dev.refit.updater.host.FakeCommandRunner;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostState;
import dev.refit.updater.selinux.HostSelinuxMode;
import dev.refit.updater.selinux.ModuleDigests;
import dev.refit.updater.selinux.SelinuxFacts;
import dev.refit.updater.selinux.SelinuxTools;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * SELinux booleans and modules on Flatcar, whose policy store a stock image keeps on the read-only
 * /usr: refused with what to do, before anything is written or staged; applied as elsewhere where a
 * person copied the store out of /usr.
 */
class FlatcarPolicyStoreTest {

  static final String CIL = "(allow container_t mnt_t (file (read)))";
  static final List<String> READLINK =
      List.of("readlink", "-f", "/var/lib/selinux/mcs", "/etc/selinux/mcs");
  static final List<String> SETSEBOOL = List.of("setsebool", "-P", "virt_use_nfs=on");
  static final List<String> INSTALL =
      List.of("semodule", "-X", "400", "-i", "/var/lib/refit/selinux/nginx-custom.cil");

  final FakeCommandRunner runner = new FakeCommandRunner();
  final HostState state = HostState.inMemory("/var/lib/refit");
  final FlatcarBackend backend =
      new FlatcarBackend(
          runner,
          new HostBoot(runner, HostState.inMemory("/run/refit")),
          new SelinuxTools(runner, state));

  FlatcarPolicyStoreTest() {
    runner.succeed(
        List.of("cat", "/etc/selinux/config"),
        Fixtures.read("flatcar-selinux-config-refit-permissive-mcs.txt"));
  }

  static SELinuxPolicy booleanAndModule() {
    SELinuxPolicy policy = new SELinuxPolicy();
    policy.setBooleans(List.of(new SELinuxBoolean("virt_use_nfs", true)));
    policy.setModules(List.of(SELinuxModule.inline("nginx-custom", CIL)));
    return policy;
  }

  static HostFacts facts() {
    return new HostFacts(
        OSFamily.Flatcar,
        new HostDeployment("4426.1.0", null, null, null),
        Optional.empty(),
        Optional.empty(),
        ScriptedHost.BOOT_ID,
        new SelinuxFacts(
            true,
            Optional.of(HostSelinuxMode.PERMISSIVE),
            Optional.of(HostSelinuxMode.PERMISSIVE),
            Map.of("virt_use_nfs", false),
            Map.of()),
        Optional.empty());
  }

  @Test
  void onAStockImageTheApplyFailsWithWhatToDoAndNothingIsWritten() {
    runner.succeed(READLINK, Fixtures.read("flatcar-readlink-f-selinux-store-refit-stock.txt"));

    assertThatThrownBy(
            () -> backend.applyLive(booleanAndModule(), Map.of("nginx-custom", CIL), facts()))
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(FlatcarBackend.SELINUX_STORE_READ_ONLY))
        .hasMessageContaining("setsebool virt_use_nfs=on, install nginx-custom at 400")
        .hasMessageContaining("/var/lib/selinux/mcs -> /usr/lib/selinux/policy/mcs")
        .hasMessageContaining("/etc/selinux/mcs -> /usr/lib/selinux/mcs")
        .hasMessageContaining("cp -a /usr/lib/selinux/policy /var/lib/selinux")
        .hasMessageContaining("cp -a /usr/lib/selinux/mcs /etc/selinux");

    assertThat(runner.commands()).containsExactly(List.of("cat", "/etc/selinux/config"), READLINK);
    assertThat(state.read("selinux-modules")).isEmpty();
    assertThat(state.read("selinux/nginx-custom.cil")).isEmpty();
  }

  @Test
  void whereTheStoreWasCopiedOutOfUsrBooleansAndModulesApplyAsElsewhere() throws Exception {
    runner.succeed(READLINK, Fixtures.read("flatcar-readlink-f-selinux-store-refit-copied.txt"));
    runner.succeed(SETSEBOOL, "");
    runner.succeed(INSTALL, "");

    backend.applyLive(booleanAndModule(), Map.of("nginx-custom", CIL), facts());

    assertThat(runner.commands())
        .containsExactly(List.of("cat", "/etc/selinux/config"), READLINK, SETSEBOOL, INSTALL);
    assertThat(state.read("selinux-modules"))
        .contains("nginx-custom 400 " + ModuleDigests.of(CIL) + "\n");
  }

  @Test
  void aPolicyTheHostAlreadyMatchesNeedsNoWritableStore() throws Exception {
    SELinuxPolicy policy = new SELinuxPolicy();
    policy.setMode(SELinuxMode.Permissive);
    policy.setBooleans(List.of(new SELinuxBoolean("virt_use_nfs", false)));

    backend.applyLive(policy, Map.of(), facts());

    assertThat(runner.commands()).isEmpty();
  }

  @Test
  void stagingForAPolicyTheStoreCannotTakeFailsBeforeUpdateEngineIsAsked() {
    runner.succeed(READLINK, Fixtures.read("flatcar-readlink-f-selinux-store-refit-stock.txt"));

    assertThatThrownBy(
            () -> backend.stage(OSTarget.version("4459.1.0"), booleanAndModule(), facts()))
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.reason()).isEqualTo(FlatcarBackend.SELINUX_STORE_READ_ONLY));

    assertThat(runner.commands()).containsExactly(List.of("cat", "/etc/selinux/config"), READLINK);
  }
}
