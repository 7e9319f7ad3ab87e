package dev.refit.updater.selinux;

import dev.refit.api.SELinuxMode;
import dev.refit.updater.host.CommandFailedException;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostOutputException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SELinux mode, in force now and at the next boot. Enforcing and Permissive switch live: {@code
 * setenforce 1|0} writes /sys/fs/selinux/enforce (libselinux's {@code security_setenforce}) and
 * prints nothing; {@code SELINUX=} in /etc/selinux/config decides the mode the next boot starts in.
 * A host that booted with SELinux disabled has no policy loaded: setenforce refuses ("setenforce:
 * SELinux is disabled", status 1), and only a boot with the file saying enforcing or permissive
 * turns SELinux on. Every change is read back ({@code getenforce}, the file): a tool that exits 0
 * without the effect is an error, not a success.
 */
final class SelinuxModes {

  private final SelinuxCommands commands;

  SelinuxModes(SelinuxCommands commands) {
    this.commands = commands;
  }

  /** {@code setenforce 1} for Enforcing, {@code setenforce 0} for Permissive. */
  static List<String> setenforce(SELinuxMode mode) {
    return List.of("setenforce", mode == SELinuxMode.Enforcing ? "1" : "0");
  }

  /** The sed command that sets {@code SELINUX=} in place (no shell: the argv is taken as is). */
  static List<String> setConfigMode(SELinuxMode mode) {
    return List.of(
        "sed",
        "-i",
        "-E",
        "s/^SELINUX=.*/SELINUX=" + mode.name().toLowerCase(Locale.ROOT) + "/",
        "/etc/selinux/config");
  }

  /** Puts the mode in force now and for the next boot, and reads both back. */
  void applyLive(SELinuxMode mode, SelinuxFacts facts) throws HostException {
    boolean running = is(facts.mode(), mode);
    boolean configured = is(facts.configuredMode(), mode);
    if (!running) {
      try {
        commands.run(setenforce(mode));
      } catch (HostException e) {
        throw setenforceFailed(mode, e);
      }
    }
    if (!configured) {
      commands.run(setConfigMode(mode));
    }
    if (running && configured) {
      return;
    }
    HostSelinuxMode now = read(GetenforceParser.COMMAND, GetenforceParser::parse);
    if (now.toApi().filter(mode::equals).isEmpty()) {
      throw new HostException(
          SelinuxTools.MODE_NOT_APPLIED,
          "getenforce says "
              + GetenforceParser.word(now)
              + " after "
              + String.join(" ", setenforce(mode))
              + " exited 0; the running mode is not "
              + mode);
    }
    requireConfigured(mode);
  }

  /** Writes the mode the next boot uses, and reads the file back. */
  void configureForBoot(SELinuxMode mode, SelinuxFacts facts) throws HostException {
    if (is(facts.configuredMode(), mode)) {
      return;
    }
    commands.run(setConfigMode(mode));
    requireConfigured(mode);
  }

  private void requireConfigured(SELinuxMode mode) throws HostException {
    SelinuxConfig after = read(SelinuxConfigParser.COMMAND, SelinuxConfigParser::parse);
    if (after.mode().toApi().filter(mode::equals).isEmpty()) {
      throw new HostException(
          SelinuxTools.CONFIG_NOT_WRITTEN,
          "/etc/selinux/config still says SELINUX="
              + after.mode().name().toLowerCase(Locale.ROOT)
              + " after writing "
              + mode.name().toLowerCase(Locale.ROOT));
    }
  }

  /**
   * setenforce's own message, and what it means. Status 1 with "SELinux is disabled": no policy is
   * loaded in this boot. Status 2 with "security_setenforce() failed": the kernel refused the write
   * (the policy's secure_mode_policyload boolean forbids mode changes until the next boot, or the
   * agent's domain may not setenforce).
   */
  private static HostException setenforceFailed(SELinuxMode mode, HostException e) {
    String why = "";
    if (e.getCause() instanceof CommandFailedException failed) {
      why =
          failed.exitCode() == 1
              ? ": SELinux is off in this boot; only a boot with SELINUX="
                  + mode.name().toLowerCase(Locale.ROOT)
                  + " in /etc/selinux/config turns it on"
              : ": the kernel refused the switch (with the boolean secure_mode_policyload on, the"
                  + " mode cannot change until the next boot)";
    }
    return new HostException(
        SelinuxTools.SETENFORCE_FAILED,
        e.getMessage() + "; the running mode is still not " + mode + why,
        e);
  }

  private static boolean is(Optional<HostSelinuxMode> actual, SELinuxMode mode) {
    return actual.flatMap(HostSelinuxMode::toApi).filter(mode::equals).isPresent();
  }

  private <T> T read(List<String> argv, Parser<T> parser) throws HostException {
    try {
      return parser.parse(commands.run(argv).stdout());
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  /** A parser of one command's output. */
  private interface Parser<T> {
    T parse(String output) throws HostOutputException;
  }
}
