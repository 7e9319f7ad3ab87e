package dev.refit.updater.backend.flatcar;

import dev.refit.updater.agent.HostRefusal;
import dev.refit.updater.backend.CommandBackend;
import dev.refit.updater.backend.SystemdUnits;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostOutputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What on a Flatcar host would reboot it on its own once update_engine has installed an update:
 * then a Stage would reboot the node before Refit drains it.
 *
 * <ul>
 *   <li>locksmithd (flatcar/locksmith {@code locksmithctl/daemon.go}, {@code
 *       systemd/locksmithd.service}): reads {@code REBOOT_STRATEGY} from its environment, which
 *       systemd loads from /usr/share/flatcar/update.conf and then /etc/flatcar/update.conf, once,
 *       when it starts. Empty means {@code reboot}; {@code off} makes it exit at once; with any
 *       other value it waits for {@code UPDATE_STATUS_UPDATED_NEED_REBOOT} and reboots (after
 *       taking an etcd lock for {@code etcd-lock}). Stock images enable it and ship no strategy
 *       (flatcar/scripts {@code build_library/set_lsb_release}), so they reboot.
 *   <li>FLUO's update-agent (flatcar/flatcar-linux-update-operator {@code pkg/agent/agent.go}): a
 *       DaemonSet whose process {@code /bin/update-agent} drains and reboots the node once its
 *       operator allows it. Its node annotations are not visible to this agent; its process is, in
 *       the host's PID namespace.
 *   <li>kured: reboots when /run/reboot-required exists, which update_engine's postinstall ({@code
 *       flatcar-postinst}) creates after every install. Its process is {@code /usr/bin/kured}.
 * </ul>
 */
final class FlatcarRebootManagers {

  static final String LOCKSMITHD = "locksmithd.service";
  static final List<String> LOCKSMITHD_ACTIVE = List.of("systemctl", "is-active", LOCKSMITHD);
  static final List<String> LOCKSMITHD_ENABLED = List.of("systemctl", "is-enabled", LOCKSMITHD);
  static final List<String> UPDATE_CONF_DEFAULTS = List.of("cat", "/usr/share/flatcar/update.conf");
  static final List<String> UPDATE_CONF = List.of("cat", "/etc/flatcar/update.conf");
  static final List<String> FLUO_AGENT = List.of("pgrep", "-x", "update-agent");
  static final List<String> KURED = List.of("pgrep", "-x", "kured");

  private static final Pattern ASSIGNMENT =
      Pattern.compile("^\\s*REBOOT_STRATEGY\\s*=\\s*(.*?)\\s*$");

  /** The reboot strategy locksmithd starts with, and where it comes from. */
  record Strategy(String value, String source) {
    boolean off() {
      return value.equals("off");
    }

    @Override
    public String toString() {
      return "REBOOT_STRATEGY=" + value + " (" + source + ")";
    }
  }

  private final CommandBackend host;

  FlatcarRebootManagers(CommandBackend host) {
    this.host = host;
  }

  /** Everything found; empty when the host is eligible. */
  List<HostRefusal> refusals() throws HostException {
    List<HostRefusal> found = new ArrayList<>();
    locksmithd().ifPresent(found::add);
    process(
            FLUO_AGENT,
            "FLUO's update-agent",
            "drains and reboots the node on its own once update_engine has installed an update and"
                + " FLUO's operator allows it; exclude this node from the FLUO agent DaemonSet"
                + " (nodeSelector or affinity) before Refit manages it")
        .ifPresent(found::add);
    process(
            KURED,
            "kured",
            "drains and reboots the node on its own when /run/reboot-required exists, which"
                + " update_engine creates after installing an update; exclude this node from the"
                + " kured DaemonSet before Refit manages it")
        .ifPresent(found::add);
    return found;
  }

  private Optional<HostRefusal> locksmithd() throws HostException {
    SystemdUnits units = new SystemdUnits(host);
    String state = units.active(LOCKSMITHD);
    if (SystemdUnits.RUNNING.contains(state)) {
      Strategy strategy = strategy();
      String why =
          strategy.off()
              ? " although "
                  + strategy
                  + " is set now: it reads the strategy only when it starts,"
                  + " so it still follows the one it started with"
              : " with "
                  + strategy
                  + " and would reboot this node on its own as soon as"
                  + " update_engine has installed an update, before Refit drains it";
      return Optional.of(
          new HostRefusal(
              FlatcarBackend.REBOOT_MANAGER_ACTIVE,
              "locksmithd is running (systemctl is-active "
                  + LOCKSMITHD
                  + ": "
                  + state
                  + ")"
                  + why
                  + "; set REBOOT_STRATEGY=off in /etc/flatcar/update.conf and run systemctl"
                  + " restart "
                  + LOCKSMITHD
                  + " (it then exits), or run systemctl mask --now "
                  + LOCKSMITHD));
    }
    String enabled = units.enabled(LOCKSMITHD);
    if (SystemdUnits.NOT_AT_BOOT.contains(enabled)) {
      return Optional.empty();
    }
    Strategy strategy = strategy();
    if (strategy.off()) {
      return Optional.empty();
    }
    return Optional.of(
        new HostRefusal(
            FlatcarBackend.REBOOT_MANAGER_ENABLED,
            "locksmithd is not running but starts at every boot (systemctl is-enabled "
                + LOCKSMITHD
                + ": "
                + enabled
                + ") with "
                + strategy
                + ", so after the reboot Refit causes it would reboot this node on its own once"
                + " update_engine installs its next automatic update; set REBOOT_STRATEGY=off in"
                + " /etc/flatcar/update.conf, or run systemctl mask "
                + LOCKSMITHD));
  }

  /** The strategy systemd hands locksmithd: the defaults, overridden by /etc (last line wins). */
  Strategy strategy() throws HostException {
    Optional<String> defaults = assigned(read(UPDATE_CONF_DEFAULTS));
    Optional<String> own = assigned(read(UPDATE_CONF));
    String source = own.isPresent() ? UPDATE_CONF.get(1) : UPDATE_CONF_DEFAULTS.get(1);
    String value = own.or(() -> defaults).orElse("");
    if (value.isEmpty()) {
      // locksmithd's own default for an empty or missing REBOOT_STRATEGY.
      return new Strategy("reboot", "locksmithd's default, none set in update.conf");
    }
    return new Strategy(value, source);
  }

  /**
   * The last REBOOT_STRATEGY assignment of an environment file, unquoted, as systemd reads it:
   * comment lines (# or ;) and lines that assign other variables do not count.
   */
  static Optional<String> assigned(Optional<String> file) {
    Optional<String> value = Optional.empty();
    for (String line : file.orElse("").split("\n")) {
      var m = ASSIGNMENT.matcher(line);
      if (m.matches()) {
        String v = m.group(1);
        boolean quoted =
            v.length() >= 2
                && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"));
        value = Optional.of(quoted ? v.substring(1, v.length() - 1) : v);
      }
    }
    return value;
  }

  /** A file's text, or empty when it does not exist (a fresh image has no /etc update.conf). */
  private Optional<String> read(List<String> cat) throws HostException {
    CommandResult r = host.execute(cat, CommandBackend.STATUS_TIMEOUT);
    if (r.succeeded()) {
      return Optional.of(r.stdout());
    }
    if (r.stderr().contains("No such file or directory")) {
      return Optional.empty();
    }
    throw failed(r);
  }

  /** A refusal when pgrep finds the process (exit 0 with PIDs; 1 means none runs). */
  private Optional<HostRefusal> process(List<String> pgrep, String name, String what)
      throws HostException {
    CommandResult r = host.execute(pgrep, CommandBackend.STATUS_TIMEOUT);
    if (r.exitCode() == 1 && r.stdout().isBlank()) {
      return Optional.empty();
    }
    if (r.exitCode() != 0) {
      throw failed(r);
    }
    return Optional.of(
        new HostRefusal(
            FlatcarBackend.REBOOT_AGENT_RUNNING,
            name
                + " runs on this node ("
                + r.commandLine()
                + ": PID "
                + String.join(", ", r.stdout().strip().split("\\s+"))
                + ") and "
                + what));
  }

  private static HostException failed(CommandResult r) {
    return new HostException(
        HostException.COMMAND_FAILED,
        r.commandLine()
            + " exited "
            + r.exitCode()
            + ": "
            + HostOutputException.excerpt(r.combinedOutput()));
  }
}
