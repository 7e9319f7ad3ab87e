package dev.refit.updater.backend;

import dev.refit.updater.agent.RebootRequest;
import dev.refit.updater.host.CommandException;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostOutputException;
import dev.refit.updater.host.HostState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The host's boot: its boot ID, and the reboot request the agent recorded during this boot. The
 * request lives in /run/refit, a tmpfs every boot starts empty, and names the boot it was made in,
 * so it can never be taken for a request of another boot.
 */
public final class HostBoot {

  /** The kernel's boot ID: a random UUID chosen at every boot. */
  public static final List<String> BOOT_ID_COMMAND =
      List.of("cat", "/proc/sys/kernel/random/boot_id");

  static final String REQUEST_FILE = "reboot-request";
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final CommandRunner runner;
  private final HostState run;

  /** Reads the boot ID through the host runner and keeps requests in {@code run}. */
  public HostBoot(CommandRunner runner, HostState run) {
    this.runner = runner;
    this.run = run;
  }

  /** The current boot ID. */
  public String bootId() throws HostException {
    String out;
    try {
      out = runner.run(BOOT_ID_COMMAND, TIMEOUT).stdout().strip();
    } catch (CommandException e) {
      throw HostException.of(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostException(HostException.COMMAND_FAILED, "interrupted reading the boot ID");
    }
    if (!UUID.matcher(out).matches()) {
      throw HostException.of(
          new HostOutputException(String.join(" ", BOOT_ID_COMMAND), "a UUID", out));
    }
    return out;
  }

  /** The request recorded in this boot, if any. */
  public Optional<RebootRequest> request() throws HostException {
    Optional<String> text = run.read(REQUEST_FILE);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String[] parts = text.get().strip().split(" ");
    try {
      if (parts.length != 3) {
        throw new IllegalArgumentException("3 fields");
      }
      return Optional.of(
          new RebootRequest(parts[0], parts[1], Instant.ofEpochSecond(Long.parseLong(parts[2]))));
    } catch (RuntimeException e) {
      throw HostException.of(
          new HostOutputException(
              run.hostPath(REQUEST_FILE), "\"<actionId> <bootId> <epoch seconds>\"", text.get()));
    }
  }

  /** Records a request (atomically: a crash leaves the old file or the new one). */
  public void record(RebootRequest request) {
    run.write(
        REQUEST_FILE,
        request.actionId()
            + " "
            + request.bootId()
            + " "
            + request.requestedAt().getEpochSecond()
            + "\n");
  }
}
