package dev.refit.updater.backend;

import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostOutputException;
import java.util.List;
import java.util.Set;

/**
 * Whether a systemd unit on the host runs now or starts at boot, from {@code systemctl is-active}
 * and {@code is-enabled}, read by one rule for every backend that refuses a host because of another
 * agent's unit (Zincati, locksmithd, bootc's update timer). Where a state could go either way, it
 * counts as the unit acting: a refusal a person clears is safe, a missed one reboots a node.
 */
public final class SystemdUnits {

  /**
   * {@code is-active} words of a unit that runs or is about to: an automatic restart is
   * "activating", and a unit "deactivating" or "refreshing" may still act.
   */
  public static final Set<String> RUNNING =
      Set.of("active", "activating", "reloading", "deactivating", "refreshing");

  /** {@code is-active} words of a unit that does nothing now. */
  public static final Set<String> NOT_RUNNING =
      Set.of("inactive", "failed", "maintenance", "unknown");

  /** {@code is-enabled} words after which nothing starts the unit at boot. */
  public static final Set<String> NOT_AT_BOOT =
      Set.of("disabled", "masked", "masked-runtime", "not-found", "bad");

  /**
   * The other {@code is-enabled} words: the unit starts at boot, or something (a timer, another
   * unit, a generator) pulls it in.
   */
  public static final Set<String> AT_BOOT =
      Set.of(
          "enabled",
          "enabled-runtime",
          "linked",
          "linked-runtime",
          "alias",
          "static",
          "indirect",
          "generated",
          "transient");

  private final CommandBackend host;

  public SystemdUnits(CommandBackend host) {
    this.host = host;
  }

  /** The unit's {@code is-active} word; one of {@link #RUNNING} or {@link #NOT_RUNNING}. */
  public String active(String unit) throws HostException {
    return word("is-active", unit, RUNNING, NOT_RUNNING);
  }

  /** The unit's {@code is-enabled} word; one of {@link #AT_BOOT} or {@link #NOT_AT_BOOT}. */
  public String enabled(String unit) throws HostException {
    return word("is-enabled", unit, AT_BOOT, NOT_AT_BOOT);
  }

  /** Whether the unit runs now or is about to. */
  public boolean running(String unit) throws HostException {
    return RUNNING.contains(active(unit));
  }

  /** Whether something starts the unit at boot. */
  public boolean startsAtBoot(String unit) throws HostException {
    return AT_BOOT.contains(enabled(unit));
  }

  /**
   * One state word; anything else is unparseable output, never taken as "not running". A unit whose
   * file does not exist answers, on some systemd versions, with nothing on stdout and "No such file
   * or directory" about the unit file on stderr: that is "not-found" (but "Failed to connect to
   * bus: No such file or directory" is an error).
   */
  private String word(String verb, String unit, Set<String> yes, Set<String> no)
      throws HostException {
    CommandResult r = host.execute(List.of("systemctl", verb, unit), CommandBackend.STATUS_TIMEOUT);
    String word = r.stdout().strip();
    if (word.isEmpty()
        && r.stderr().contains("unit file state for " + unit + ": No such file or directory")) {
      word = "not-found";
    }
    if (!yes.contains(word) && !no.contains(word)) {
      throw HostException.of(
          new HostOutputException(
              r.commandLine(), "a unit state word (" + String.join(", ", yes) + ", ...)", word));
    }
    return word;
  }
}
