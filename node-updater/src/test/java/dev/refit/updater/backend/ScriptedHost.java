package dev.refit.updater.backend;

import dev.refit.updater.Fixtures;
import dev.refit.updater.host.FakeCommandRunner;
import dev.refit.updater.host.HostState;
import dev.refit.updater.selinux.SelinuxTools;
import java.util.List;

/** A host scripted from recorded outputs: boot ID, SELinux tools, and the run/state dirs. */
public final class ScriptedHost {

  public static final String BOOT_ID = "6f1bcf0e-3c2a-4a53-9c5e-2b1d7f9e0a11";

  public final FakeCommandRunner runner = new FakeCommandRunner();
  public final HostState run = HostState.inMemory("/run/refit");
  public final HostState state = HostState.inMemory("/var/lib/refit");
  public final HostBoot boot = new HostBoot(runner, run);
  public final SelinuxTools selinux = new SelinuxTools(runner, state);

  public ScriptedHost() {
    runner.succeed(HostBoot.BOOT_ID_COMMAND, BOOT_ID + "\n");
    runner.succeed(List.of("getenforce"), Fixtures.read("getenforce-enforcing.txt"));
    runner.succeed(
        List.of("cat", "/etc/selinux/config"),
        Fixtures.read("selinux-config-fedora-enforcing.txt"));
    runner.succeed(List.of("getsebool", "-a"), Fixtures.read("getsebool-a-excerpt-virt-rhel.txt"));
    runner.succeed(
        List.of("semodule", "--list-modules=full"),
        Fixtures.read("semodule-list-modules-full-rhel9-excerpt-with-disabled.txt"));
  }

  /** Every command run that is not a fact read. */
  public List<List<String>> actions() {
    return runner.commands().stream()
        .filter(
            c ->
                !c.equals(HostBoot.BOOT_ID_COMMAND)
                    && !c.equals(List.of("getenforce"))
                    && !c.equals(List.of("cat", "/etc/selinux/config"))
                    && !c.equals(List.of("getsebool", "-a"))
                    && !c.equals(List.of("semodule", "--list-modules=full"))
                    && !c.contains("status")
                    && !c.contains("-status")
                    && !c.contains("/updates/status")
                    && !c.equals(List.of("cat", "/etc/os-release"))
                    && !c.equals(List.of("sestatus")))
        .toList();
  }
}
