package dev.refit.updater.hostmodel;

import dev.refit.updater.Fixtures;
import dev.refit.updater.backend.HostBoot;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A host whose OS tools answer the way the real ones do, for tests that drive the agent through a
 * whole update: each OS family's model (a subclass) keeps the tool's state (deployments, locks,
 * background work, units) and answers its commands from that state, as the tool's current source
 * says it does. What every host shares is here: a boot ID that changes at every boot, a {@code
 * /run} that every boot empties, {@code /var/lib} that survives, systemd units that can be enabled
 * or active, and the reboot a command asks for, which happens when the test says so ({@link
 * #boot()}).
 *
 * <p>Unlike a scripted runner, a model can be wrong only in the same way for every test, and each
 * behaviour it models names the upstream source it follows.
 */
public abstract class SimulatedHost implements CommandRunner {

  private final HostState run = HostState.inMemory("/run/refit");
  private final HostState state = HostState.inMemory("/var/lib/refit");
  private final Map<String, Unit> units = new TreeMap<>();
  private final java.util.Set<String> masked = new java.util.TreeSet<>();
  private final List<List<String>> commands = new ArrayList<>();
  private String bootId = UUID.randomUUID().toString();
  private int boots = 1;
  private boolean rebootAsked;
  private String rebootAskedBy;

  /** A systemd unit's state on the host. */
  public record Unit(boolean enabled, boolean active) {}

  /** The host's /run/refit, as the agent's HostState: emptied by every boot. */
  public HostState run() {
    return run;
  }

  /** The host's /var/lib/refit, as the agent's HostState: kept across boots. */
  public HostState state() {
    return state;
  }

  /** The agent's view of the boot (boot ID, reboot requests) on this host. */
  public HostBoot hostBoot() {
    return new HostBoot(this, run);
  }

  /** Sets a systemd unit's state. */
  public SimulatedHost unit(String name, boolean enabled, boolean active) {
    units.put(name, new Unit(enabled, active));
    return this;
  }

  /** Masks a unit ({@code systemctl mask}): it cannot start, and is-enabled says "masked". */
  public SimulatedHost mask(String name) {
    masked.add(name);
    units.put(name, new Unit(false, false));
    return this;
  }

  /** A unit's state; a unit never set is neither enabled nor active. */
  public Unit unit(String name) {
    return units.getOrDefault(name, new Unit(false, false));
  }

  /** The current boot ID. */
  public String bootId() {
    return bootId;
  }

  /** How many times the host has booted (1 before the first reboot). */
  public int boots() {
    return boots;
  }

  /** Whether a command asked for a reboot that has not happened yet, and which. */
  public Optional<String> rebootAsked() {
    return rebootAsked ? Optional.of(rebootAskedBy) : Optional.empty();
  }

  /**
   * The host goes down and comes up again: a new boot ID, an empty /run, and whatever the model
   * does at shutdown and boot ({@link #onShutdown()}, {@link #onBoot()}).
   */
  public void boot() {
    onShutdown();
    bootId = UUID.randomUUID().toString();
    boots++;
    rebootAsked = false;
    rebootAskedBy = null;
    for (String file : List.of("reboot-request")) {
      run.delete(file);
    }
    onBoot();
  }

  /** Every command the agent ran, in order. */
  public synchronized List<List<String>> commands() {
    return List.copyOf(commands);
  }

  /** The commands the agent ran that start with these words. */
  public synchronized List<List<String>> commandsStartingWith(String... words) {
    List<String> prefix = List.of(words);
    return commands.stream()
        .filter(c -> c.size() >= prefix.size() && c.subList(0, prefix.size()).equals(prefix))
        .toList();
  }

  @Override
  public synchronized CommandResult execute(List<String> argv, Duration timeout) {
    commands.add(List.copyOf(argv));
    if (argv.equals(HostBoot.BOOT_ID_COMMAND)) {
      return ok(argv, bootId + "\n");
    }
    if (argv.size() == 2 && argv.get(0).equals("systemctl") && argv.get(1).equals("reboot")) {
      return askReboot(argv, "systemctl reboot");
    }
    if (argv.size() == 3
        && argv.get(0).equals("systemctl")
        && (argv.get(1).equals("is-enabled") || argv.get(1).equals("is-active"))) {
      Unit unit = unit(argv.get(2));
      boolean yes = argv.get(1).equals("is-enabled") ? unit.enabled() : unit.active();
      String word =
          argv.get(1).equals("is-enabled")
              ? (yes
                  ? "enabled"
                  : masked.contains(argv.get(2))
                      ? "masked"
                      : units.containsKey(argv.get(2)) ? "disabled" : "not-found")
              : (yes ? "active" : "inactive");
      return new CommandResult(argv, yes ? 0 : 1, word + "\n", "", false, false, Duration.ZERO);
    }
    String selinux = SELINUX_FACTS.get(argv);
    if (selinux != null) {
      return ok(argv, Fixtures.read(selinux));
    }
    return handle(argv);
  }

  /**
   * The SELinux fact commands of a Fedora-like host, answered from recorded outputs (the models are
   * about the OS update tools; SelinuxToolsTest covers SELinux changes).
   */
  private static final Map<List<String>, String> SELINUX_FACTS =
      Map.of(
          List.of("getenforce"), "getenforce-enforcing.txt",
          List.of("cat", "/etc/selinux/config"), "selinux-config-fedora-enforcing.txt",
          List.of("getsebool", "-a"), "getsebool-a-excerpt-virt-rhel.txt",
          List.of("semodule", "--list-modules=full"),
              "semodule-list-modules-full-rhel9-excerpt-with-disabled.txt");

  /** Records that a command asked for a reboot; it happens when the test calls {@link #boot()}. */
  protected CommandResult askReboot(List<String> argv, String by) {
    rebootAsked = true;
    rebootAskedBy = Objects.requireNonNull(by);
    return ok(argv, "");
  }

  /** Answers a command of the model's OS tools. */
  protected abstract CommandResult handle(List<String> argv);

  /** What happens as the host goes down (ostree finalizing a staged deployment, say). */
  protected void onShutdown() {}

  /** What happens as the host comes up (status kept on tmpfs forgotten, say). */
  protected void onBoot() {}

  /** A successful run that printed {@code stdout}. */
  protected static CommandResult ok(List<String> argv, String stdout) {
    return CommandResult.ok(argv, stdout);
  }

  /** A run that exited with {@code code} and printed {@code stdout} and {@code stderr}. */
  protected static CommandResult exit(List<String> argv, int code, String stdout, String stderr) {
    return new CommandResult(argv, code, stdout, stderr, false, false, Duration.ZERO);
  }

  /** A command the model does not know: exit 127, as a shell would for a missing tool. */
  protected static CommandResult unknown(List<String> argv) {
    return exit(argv, 127, "", "simulated host: no such command: " + String.join(" ", argv));
  }
}
