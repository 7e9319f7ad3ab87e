package dev.refit.updater.backend.fake;

import dev.refit.updater.selinux.HostSelinuxMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The SELinux state of an in-memory host, changed the way the real tools change it, so the agent's
 * own {@code SelinuxTools} runs against it unchanged ({@link FakeSelinuxCommands} answers their
 * commands from here):
 *
 * <ul>
 *   <li>the mode in force ({@code setenforce}, {@code getenforce}) and the mode at boot ({@code
 *       SELINUX=} in /etc/selinux/config); a boot starts in the configured mode, and a host that
 *       booted with SELinux disabled cannot switch it on live ("setenforce: SELinux is disabled");
 *   <li>booleans with a runtime and a persisted value: {@code setsebool} changes the runtime value,
 *       {@code setsebool -P} both; a boot resets the runtime values to the persisted ones;
 *   <li>module copies at several priorities, the highest in force ({@code semodule -X p -i}, {@code
 *       -X p -r}); the distribution's modules at priority 100; the store survives boots;
 *   <li>a CIL source that does not compile: one that contains {@link #COMPILE_ERROR_MARKER} fails
 *       with semodule's message for a statement that names a type the policy lacks, and nothing
 *       changes.
 * </ul>
 *
 * <p>The {@code byHand} methods are the changes a person makes on the host behind the agent's back
 * (tests and the simulator use them to make drift). Every method is synchronized: agents and the
 * simulator's timeline act on one host from different threads.
 */
public final class FakeSelinux {

  /** A CIL source containing this text fails to compile, as a type the policy lacks would. */
  public static final String COMPILE_ERROR_MARKER = "refit_fake_undefined_t";

  /** What one tool invocation did: its exit status and what it printed on stderr. */
  record Outcome(int exitCode, String stderr) {
    static final Outcome OK = new Outcome(0, "");
  }

  /** One boolean: the value in force and the value the policy store keeps for the next boot. */
  private record Bool(boolean runtime, boolean persisted) {}

  private HostSelinuxMode running = HostSelinuxMode.ENFORCING;
  private HostSelinuxMode configured = HostSelinuxMode.ENFORCING;
  private final Map<String, Bool> booleans = new TreeMap<>();
  private final Map<String, TreeMap<Integer, String>> modules = new TreeMap<>();
  private boolean refusesSetenforce;

  /** A targeted policy, enforcing, with a few booleans off and the distribution's modules. */
  public FakeSelinux() {
    for (String name :
        List.of("container_manage_cgroup", "httpd_can_network_connect", "virt_use_nfs")) {
      booleans.put(name, new Bool(false, false));
    }
    for (String name : List.of("base", "container", "unconfined")) {
      modules.computeIfAbsent(name, n -> new TreeMap<>()).put(100, "");
    }
  }

  // --- how the host was set up ---------------------------------------------------------------

  /** The host runs in this mode, configured the same. */
  public synchronized FakeSelinux withMode(HostSelinuxMode mode) {
    running = mode;
    configured = mode;
    return this;
  }

  /** The kernel refuses every mode switch (secure_mode_policyload on); false to stop. */
  public synchronized FakeSelinux refuseSetenforce(boolean refuse) {
    refusesSetenforce = refuse;
    return this;
  }

  // --- what a person does by hand ------------------------------------------------------------

  /** {@code setsebool [-P] name=on|off} typed on the host; empty, or setsebool's complaint. */
  public synchronized Optional<String> setBooleanByHand(
      String name, boolean value, boolean persistent) {
    return complaint(setsebool(Map.of(name, value), persistent));
  }

  /** {@code setenforce 1|0} typed on the host; empty, or setenforce's complaint. */
  public synchronized Optional<String> setenforceByHand(HostSelinuxMode mode) {
    return complaint(setenforce(mode));
  }

  /** /etc/selinux/config edited by hand to boot in this mode. */
  public synchronized void configureByHand(HostSelinuxMode mode) {
    configured = mode;
  }

  /** Every copy of a module removed by hand ({@code semodule -X p -r} for each); empty if none. */
  public synchronized Optional<String> removeModuleByHand(String name) {
    TreeMap<Integer, String> copies = modules.get(name);
    if (copies == null) {
      return Optional.of("semodule: no module " + name + " is installed");
    }
    modules.remove(name);
    return Optional.empty();
  }

  /** A module installed by hand at a priority; empty, or semodule's complaint. */
  public synchronized Optional<String> installModuleByHand(String name, int priority, String cil) {
    return complaint(install(name, priority, cil));
  }

  // --- what the model shows --------------------------------------------------------------------

  /** The mode in force. */
  public synchronized HostSelinuxMode mode() {
    return running;
  }

  /** The mode the next boot starts in. */
  public synchronized HostSelinuxMode configuredMode() {
    return configured;
  }

  /** A boolean's value in force, if the policy defines it. */
  public synchronized Optional<Boolean> booleanNow(String name) {
    return Optional.ofNullable(booleans.get(name)).map(Bool::runtime);
  }

  /** A boolean's value at the next boot, if the policy defines it. */
  public synchronized Optional<Boolean> booleanAtBoot(String name) {
    return Optional.ofNullable(booleans.get(name)).map(Bool::persisted);
  }

  /** The priorities a module is installed at, lowest first; empty if it is not installed. */
  public synchronized List<Integer> priorities(String name) {
    return List.copyOf(modules.getOrDefault(name, new TreeMap<>()).keySet());
  }

  /** The source of the copy in force (the highest priority), if the module is installed. */
  public synchronized Optional<String> sourceInForce(String name) {
    return Optional.ofNullable(modules.get(name)).map(c -> c.lastEntry().getValue());
  }

  // --- the tools ---------------------------------------------------------------------------------

  /** A boot: the configured mode takes effect, runtime booleans fall back to persisted ones. */
  synchronized void boot() {
    running = configured;
    booleans.replaceAll((name, b) -> new Bool(b.persisted(), b.persisted()));
  }

  synchronized Outcome setenforce(HostSelinuxMode mode) {
    if (running == HostSelinuxMode.DISABLED) {
      return new Outcome(1, "setenforce: SELinux is disabled\n");
    }
    if (refusesSetenforce) {
      return new Outcome(2, "setenforce:  security_setenforce() failed:  Permission denied\n");
    }
    running = mode;
    return Outcome.OK;
  }

  synchronized Outcome setsebool(Map<String, Boolean> values, boolean persistent) {
    for (String name : values.keySet()) {
      if (!booleans.containsKey(name)) {
        return new Outcome(
            255,
            persistent
                ? "Boolean " + name + " is not defined\n"
                : "Could not change active booleans: Invalid boolean\n");
      }
    }
    if (!persistent && running == HostSelinuxMode.DISABLED) {
      return new Outcome(255, "Could not change active booleans: Invalid boolean\n");
    }
    values.forEach(
        (name, value) -> {
          Bool old = booleans.get(name);
          boolean live = running != HostSelinuxMode.DISABLED;
          booleans.put(
              name, new Bool(live ? value : old.runtime(), persistent ? value : old.persisted()));
        });
    return Outcome.OK;
  }

  synchronized Outcome install(String name, int priority, String cil) {
    int marker = cil.indexOf(COMPILE_ERROR_MARKER);
    if (marker >= 0) {
      long line = cil.substring(0, marker).chars().filter(c -> c == '\n').count() + 1;
      return new Outcome(
          1,
          "Failed to resolve typeattributeset statement at /var/lib/selinux/targeted/tmp/modules/"
              + priority
              + "/"
              + name
              + "/cil:"
              + line
              + "\nFailed to resolve AST\nsemodule:  Failed!\n");
    }
    modules.computeIfAbsent(name, n -> new TreeMap<>()).put(priority, cil);
    return Outcome.OK;
  }

  synchronized Outcome remove(String name, int priority) {
    TreeMap<Integer, String> copies = modules.get(name);
    if (copies == null || copies.remove(priority) == null) {
      return new Outcome(
          1,
          "libsemanage.semanage_direct_remove_key: Unable to remove module "
              + name
              + " at priority "
              + priority
              + ". (No such file or directory).\nsemodule:  Failed!\n");
    }
    if (copies.isEmpty()) {
      modules.remove(name);
    }
    return Outcome.OK;
  }

  synchronized void configure(HostSelinuxMode mode) {
    configured = mode;
  }

  /** {@code getsebool -a}'s lines: the values in force. */
  synchronized String getsebool() {
    StringBuilder out = new StringBuilder();
    booleans.forEach(
        (name, b) ->
            out.append(name).append(" --> ").append(b.runtime() ? "on" : "off").append('\n'));
    return out.toString();
  }

  /** {@code semodule --list-modules=full}'s lines: highest priority first, then by name. */
  synchronized String listModulesFull() {
    record Copy(int priority, String name, String lang) {}
    List<Copy> copies = new ArrayList<>();
    modules.forEach(
        (name, byPriority) ->
            byPriority
                .keySet()
                .forEach(p -> copies.add(new Copy(p, name, p == 100 ? "pp" : "cil"))));
    copies.sort(Comparator.comparingInt(Copy::priority).reversed().thenComparing(Copy::name));
    StringBuilder out = new StringBuilder();
    for (Copy c : copies) {
      out.append(String.format(Locale.ROOT, "%03d %-17s %-4s\n", c.priority(), c.name(), c.lang()));
    }
    return out.toString();
  }

  private static Optional<String> complaint(Outcome outcome) {
    return outcome.exitCode() == 0 ? Optional.empty() : Optional.of(outcome.stderr().strip());
  }
}
