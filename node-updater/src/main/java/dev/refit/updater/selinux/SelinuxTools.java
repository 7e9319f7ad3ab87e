package dev.refit.updater.selinux;

import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxMode;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.host.CommandException;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostOutputException;
import dev.refit.updater.host.HostState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SELinux on hosts whose policy can be changed (rpm-ostree, bootc and Flatcar hosts): facts from
 * {@code getenforce}, {@code /etc/selinux/config}, {@code getsebool -a} and {@code semodule
 * --list-modules=full}; the mode for the next boot written to /etc/selinux/config; booleans set
 * persistently with one {@code setsebool -P} (one policy rebuild); modules installed and removed
 * with {@code semodule -X <priority>}. Which modules Refit installed is kept in /var/lib/refit, so
 * it never removes a module someone else installed at the same priority.
 */
public final class SelinuxTools {

  static final String LEDGER = "selinux-modules";
  static final String MODULE_DIR = "selinux/";
  static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final CommandRunner runner;
  private final HostState state;

  public SelinuxTools(CommandRunner runner, HostState state) {
    this.runner = runner;
    this.state = state;
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
      for (SelinuxFacts.InstalledModule m : ledger()) {
        boolean installed =
            listed.stream()
                .anyMatch(
                    l ->
                        l.name().equals(m.name())
                            && l.enabled()
                            && l.priority().isPresent()
                            && l.priority().getAsInt() == m.priority());
        if (installed) {
          ours.put(m.name(), m);
        }
      }
      return new SelinuxFacts(true, Optional.of(mode), Optional.of(config.mode()), booleans, ours);
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  /** Writes the mode the next boot uses, then reads the file back to prove it. */
  public void stageMode(SELinuxMode mode, SelinuxFacts facts) throws HostException {
    String wanted = mode.name().toLowerCase(Locale.ROOT);
    if (facts.configuredMode().flatMap(HostSelinuxMode::toApi).map(mode::equals).orElse(false)) {
      return;
    }
    run(setModeCommand(wanted));
    try {
      SelinuxConfig after = SelinuxConfigParser.parse(run(SelinuxConfigParser.COMMAND).stdout());
      if (after.mode().toApi().map(mode::equals).orElse(false)) {
        return;
      }
      throw new HostException(
          "SelinuxConfigNotWritten",
          "/etc/selinux/config still says SELINUX=" + after.mode() + " after writing " + wanted);
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  /** The sed command that sets {@code SELINUX=} in place (no shell: the argv is taken as is). */
  static List<String> setModeCommand(String mode) {
    return List.of("sed", "-i", "-E", "s/^SELINUX=.*/SELINUX=" + mode + "/", "/etc/selinux/config");
  }

  /** Sets the policy's booleans and installs and removes its modules. */
  public void applyLive(SELinuxPolicy policy, Map<String, String> sources, SelinuxFacts facts)
      throws HostException {
    List<String> setsebool = new ArrayList<>(List.of("setsebool", "-P"));
    for (SELinuxBoolean b : policy.getBooleans()) {
      if (!b.getValue().equals(facts.booleans().get(b.getName()))) {
        setsebool.add(b.getName() + "=" + (b.getValue() ? "on" : "off"));
      }
    }
    if (setsebool.size() > 2) {
      run(setsebool);
    }
    List<SelinuxFacts.InstalledModule> ledger = new ArrayList<>(ledger());
    for (SELinuxModule m : policy.getModules()) {
      String digest = ModuleDigests.of(sources.get(m.getName()));
      SelinuxFacts.InstalledModule wanted =
          new SelinuxFacts.InstalledModule(m.getName(), m.getPriority(), digest);
      if (wanted.equals(facts.modules().get(m.getName()))) {
        continue;
      }
      String file = MODULE_DIR + m.getName() + ".cil";
      state.write(file, sources.get(m.getName()));
      ledger.removeIf(e -> e.name().equals(m.getName()));
      ledger.add(wanted); // intent first: a crash leaves a ledger entry semodule does not list
      writeLedger(ledger);
      run(List.of("semodule", "-X", Integer.toString(m.getPriority()), "-i", state.hostPath(file)));
    }
    for (SelinuxFacts.InstalledModule installed : List.copyOf(facts.modules().values())) {
      if (policy.getModules().stream().noneMatch(m -> m.getName().equals(installed.name()))) {
        run(
            List.of(
                "semodule", "-X", Integer.toString(installed.priority()), "-r", installed.name()));
        ledger.removeIf(e -> e.name().equals(installed.name()));
        writeLedger(ledger);
        state.delete(MODULE_DIR + installed.name() + ".cil");
      }
    }
  }

  private List<SelinuxFacts.InstalledModule> ledger() throws HostException {
    List<SelinuxFacts.InstalledModule> out = new ArrayList<>();
    for (String line : state.read(LEDGER).orElse("").split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.strip().split(" ");
      try {
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
    try {
      return runner.run(argv, TIMEOUT);
    } catch (CommandException e) {
      throw HostException.of(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostException(
          HostException.COMMAND_FAILED, String.join(" ", argv) + ": interrupted");
    }
  }

  private CommandResult execute(List<String> argv) throws HostException {
    try {
      return runner.execute(argv, TIMEOUT);
    } catch (CommandException e) {
      throw HostException.of(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostException(
          HostException.COMMAND_FAILED, String.join(" ", argv) + ": interrupted");
    }
  }
}
