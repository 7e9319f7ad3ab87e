package dev.refit.updater.selinux;

import dev.refit.api.SELinuxMode;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostOutputException;
import dev.refit.updater.host.HostState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SELinux on hosts whose policy can be changed (rpm-ostree, bootc and Flatcar hosts): facts from
 * {@code getenforce}, {@code /etc/selinux/config}, {@code getsebool -a} and {@code semodule
 * --list-modules=full}; the mode switched live with {@code setenforce} and written to
 * /etc/selinux/config for the next boot; booleans set persistently with one {@code setsebool -P}
 * (one policy rebuild); modules installed and removed with {@code semodule -X <priority>}. Which
 * modules Refit installed, and at which priority, is kept in /var/lib/refit, so it never removes a
 * module someone else installed, nor a copy at a priority it did not install.
 */
public final class SelinuxTools {

  /** A policy names a module semodule would refuse, or one that would leave its directory. */
  public static final String INVALID_MODULE_NAME = "InvalidModuleName";

  /** setenforce failed: the running mode did not change. */
  public static final String SETENFORCE_FAILED = "SetenforceFailed";

  /** setenforce exited 0 but getenforce does not show the mode. */
  public static final String MODE_NOT_APPLIED = "SelinuxModeNotApplied";

  /** /etc/selinux/config does not say the mode after it was written. */
  public static final String CONFIG_NOT_WRITTEN = "SelinuxConfigNotWritten";

  static final String LEDGER = "selinux-modules";
  static final String MODULE_DIR = "selinux/";

  private final SelinuxCommands commands;
  private final HostState state;
  private final SelinuxModes modes;

  public SelinuxTools(CommandRunner runner, HostState state) {
    this.commands = new SelinuxCommands(runner);
    this.state = state;
    this.modes = new SelinuxModes(commands);
  }

  /** The host's SELinux facts. A host with SELinux disabled reports it, not configurable. */
  public SelinuxFacts facts() throws HostException {
    try {
      HostSelinuxMode mode = GetenforceParser.parse(run(GetenforceParser.COMMAND).stdout());
      SelinuxConfig config = SelinuxConfigParser.parse(run(SelinuxConfigParser.COMMAND).stdout());
      if (mode == HostSelinuxMode.DISABLED) {
        return new SelinuxFacts(
            false, Optional.of(mode), Optional.of(config.mode()), Map.of(), Map.of());
      }
      CommandResult getsebool = execute(GetseboolParser.COMMAND);
      Map<String, Boolean> booleans = new LinkedHashMap<>();
      GetseboolParser.parse(getsebool.combinedOutput())
          .values()
          .forEach((name, value) -> booleans.put(name, value.current()));
      List<SelinuxModule> listed =
          SemoduleParser.parseFull(run(SemoduleParser.FULL_COMMAND).stdout());
      Map<String, SelinuxFacts.InstalledModule> ours = new LinkedHashMap<>();
      List<SelinuxFacts.InstalledModule> superseded = new ArrayList<>();
      for (SelinuxFacts.InstalledModule m : ledger()) {
        if (!listedAt(listed, m)) {
          continue;
        }
        SelinuxFacts.InstalledModule other = ours.get(m.name());
        if (other == null || other.priority() < m.priority()) {
          ours.put(m.name(), m);
        }
        if (other != null) {
          superseded.add(other.priority() < m.priority() ? other : m);
        }
      }
      return new SelinuxFacts(
          true, Optional.of(mode), Optional.of(config.mode()), booleans, ours, superseded);
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  /** Whether semodule lists this copy, enabled, at the priority Refit installed it at. */
  private static boolean listedAt(List<SelinuxModule> listed, SelinuxFacts.InstalledModule m) {
    return listed.stream()
        .anyMatch(
            l ->
                l.name().equals(m.name())
                    && l.enabled()
                    && l.priority().isPresent()
                    && l.priority().getAsInt() == m.priority());
  }

  /**
   * Writes the mode the next boot uses and reads the file back: for a host that booted with SELinux
   * disabled, where only a boot turns it on (see {@link SelinuxModes}).
   */
  public void configureBootMode(SELinuxMode mode, SelinuxFacts facts) throws HostException {
    modes.configureForBoot(mode, facts);
  }

  /**
   * Sets the policy's booleans, installs and removes its modules, then puts its mode in force now
   * and for the next boot. A module whose priority changed is installed at the new priority, then
   * its old copy is removed: the copy at the higher priority is the one in force, so keeping the
   * old one would leave the old module working. The ledger names a copy before semodule installs it
   * and forgets it only after semodule removed it, so a crash at any point leaves no copy of
   * Refit's that the ledger does not name. The mode comes last, so a switch to Enforcing finds the
   * booleans and modules the workloads need already in force.
   */
  public void applyLive(SELinuxPolicy policy, Map<String, String> sources, SelinuxFacts facts)
      throws HostException {
    LiveChanges changes = changes(policy, sources, facts);
    if (!changes.booleans().isEmpty()) {
      List<String> setsebool = new ArrayList<>(List.of("setsebool", "-P"));
      setsebool.addAll(changes.booleans());
      run(setsebool);
    }
    List<SelinuxFacts.InstalledModule> ledger = new ArrayList<>(ledger());
    for (SelinuxFacts.InstalledModule wanted : changes.installs()) {
      String file = moduleFile(wanted.name());
      state.write(file, sources.get(wanted.name()));
      ledger.removeIf(e -> sameCopy(e, wanted));
      ledger.add(wanted); // intent first: a crash leaves a ledger entry semodule does not list
      writeLedger(ledger);
      run(
          List.of(
              "semodule", "-X", Integer.toString(wanted.priority()), "-i", state.hostPath(file)));
    }
    for (SelinuxFacts.InstalledModule old : changes.removals()) {
      run(List.of("semodule", "-X", Integer.toString(old.priority()), "-r", old.name()));
      ledger.removeIf(e -> sameCopy(e, old));
      writeLedger(ledger);
      if (ledger.stream().noneMatch(e -> e.name().equals(old.name()))) {
        state.delete(moduleFile(old.name()));
      }
    }
    if (policy.getMode() != null) {
      modes.applyLive(policy.getMode(), facts);
    }
  }

  /**
   * What {@link #applyLive} changes on this host. A module name semodule would refuse fails before
   * anything is written: it could name a file outside /var/lib/refit/selinux or an option.
   */
  public static LiveChanges changes(
      SELinuxPolicy policy, Map<String, String> sources, SelinuxFacts facts) throws HostException {
    Map<String, String> digests = new LinkedHashMap<>();
    for (SELinuxModule m : policy.getModules()) {
      if (!ModuleNames.valid(m.getName())) {
        throw new HostException(
            INVALID_MODULE_NAME,
            "SELinux module name \""
                + m.getName()
                + "\" is not one semodule accepts (a letter, then letters, digits, '_' and '-',"
                + " with single dots between them); nothing was changed");
      }
      digests.put(m.getName(), ModuleDigests.of(sources.get(m.getName())));
    }
    return LiveChanges.of(policy, digests, facts);
  }

  private static String moduleFile(String name) {
    return MODULE_DIR + name + ".cil";
  }

  private static boolean sameCopy(SelinuxFacts.InstalledModule a, SelinuxFacts.InstalledModule b) {
    return a.name().equals(b.name()) && a.priority() == b.priority();
  }

  private List<SelinuxFacts.InstalledModule> ledger() throws HostException {
    List<SelinuxFacts.InstalledModule> out = new ArrayList<>();
    for (String line : state.read(LEDGER).orElse("").split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.strip().split(" ");
      try {
        if (parts.length != 3 || !ModuleNames.valid(parts[0])) {
          throw new IllegalArgumentException(line);
        }
        out.add(new SelinuxFacts.InstalledModule(parts[0], Integer.parseInt(parts[1]), parts[2]));
      } catch (RuntimeException e) {
        throw HostException.of(
            new HostOutputException(
                state.hostPath(LEDGER), "lines \"<module> <priority> <digest>\"", line));
      }
    }
    return out;
  }

  private void writeLedger(List<SelinuxFacts.InstalledModule> ledger) {
    StringBuilder out = new StringBuilder();
    for (SelinuxFacts.InstalledModule m : ledger) {
      out.append(m.name())
          .append(' ')
          .append(m.priority())
          .append(' ')
          .append(m.digest())
          .append('\n');
    }
    state.write(LEDGER, out.toString());
  }

  private CommandResult run(List<String> argv) throws HostException {
    return commands.run(argv);
  }

  private CommandResult execute(List<String> argv) throws HostException {
    return commands.execute(argv);
  }
}
