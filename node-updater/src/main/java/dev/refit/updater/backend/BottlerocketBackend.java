package dev.refit.updater.backend;

import dev.refit.api.Deployment;
import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.backend.BottlerocketUpdateStatus.CommandStatus;
import dev.refit.updater.backend.BottlerocketUpdateStatus.CommandType;
import dev.refit.updater.backend.BottlerocketUpdateStatus.RecentCommand;
import dev.refit.updater.backend.BottlerocketUpdateStatus.State;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostOutputException;
import dev.refit.updater.host.OsReleaseParser;
import dev.refit.updater.selinux.SelinuxFacts;
import dev.refit.updater.selinux.SestatusParser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Bottlerocket through its update API, with apiclient. The API works in the background (a POST
 * returns at once, thar-be-updates does the work), so staging is a short series of calls, each made
 * when the status shows the previous one done:
 *
 * <ol>
 *   <li>{@code apiclient set updates.version-lock=v<version> updates.ignore-waves=true}, then
 *       {@code apiclient raw -u /actions/refresh-updates -m POST}: pin the target and let the
 *       update API choose it (Refit paces the fleet, so update waves would only delay it)
 *   <li>{@code apiclient raw -u /actions/prepare-update -m POST}: download and write the inactive
 *       partition (state Staged; the next boot still boots the running version)
 * </ol>
 *
 * <p>Finalize and reboot: {@code apiclient raw -u /actions/activate-update -m POST} (state Ready),
 * then {@code apiclient raw -u /actions/reboot -m POST}. Roll back: {@code signpost
 * rollback-to-inactive}, then the reboot. Facts: {@code apiclient raw -u /updates/status} and
 * /etc/os-release. "Update lock held" (423) means another update command runs: the agent looks
 * again later. SELinux is Bottlerocket's own, fixed policy: reported from {@code sestatus}, never
 * changed.
 */
public final class BottlerocketBackend extends CommandBackend {

  static final Duration POLL = Duration.ofSeconds(10);
  static final List<String> REFRESH = post("/actions/refresh-updates");
  static final List<String> PREPARE = post("/actions/prepare-update");
  static final List<String> ACTIVATE = post("/actions/activate-update");
  static final List<String> REBOOT = post("/actions/reboot");
  static final List<String> ROLLBACK = List.of("signpost", "rollback-to-inactive");
  static final List<String> SESTATUS = List.of("sestatus");

  private final Clock clock;
  private String refreshedFor;
  private Instant refreshedAt = Instant.EPOCH;
  private Instant preparedAt = Instant.EPOCH;

  public BottlerocketBackend(CommandRunner runner, HostBoot boot, Clock clock) {
    super(runner, boot, null);
    this.clock = clock;
  }

  static List<String> post(String uri) {
    return List.of("apiclient", "raw", "-u", uri, "-m", "POST");
  }

  static List<String> versionLock(String version) {
    return List.of(
        "apiclient", "set", "updates.version-lock=v" + version, "updates.ignore-waves=true");
  }

  @Override
  public OSFamily family() {
    return OSFamily.Bottlerocket;
  }

  /** The update status; empty until the API was first refreshed; thrown on a held lock too. */
  Optional<BottlerocketUpdateStatus> status() throws HostException {
    CommandResult result = execute(BottlerocketStatusParser.STATUS_COMMAND, STATUS_TIMEOUT);
    try {
      if (result.succeeded()) {
        return Optional.of(BottlerocketStatusParser.parse(result.stdout()));
      }
      BottlerocketActionOutcome outcome = BottlerocketActionParser.parse(result);
      if (outcome instanceof BottlerocketActionOutcome.Rejected r && r.statusUninitialized()) {
        return Optional.empty();
      }
      throw failure(result, outcome);
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  @Override
  Deployments deployments() throws HostException {
    Optional<BottlerocketUpdateStatus> status = status();
    String running = status.flatMap(BottlerocketUpdateStatus::runningVersion).orElse(null);
    if (running == null) {
      try {
        running =
            OsReleaseParser.parse(run(OsReleaseParser.COMMAND, STATUS_TIMEOUT).stdout())
                .versionId()
                .orElseThrow(
                    () ->
                        new HostOutputException("/etc/os-release", "VERSION_ID", "no VERSION_ID"));
      } catch (HostOutputException e) {
        throw HostException.of(e);
      }
    }
    Optional<BottlerocketUpdateStatus.Partition> inactive =
        status.flatMap(BottlerocketUpdateStatus::stagingPartition);
    boolean pending =
        status.map(s -> s.state() == State.Staged || s.state() == State.Ready).orElse(false);
    Optional<Deployment> other = inactive.map(p -> version(p.image().version()));
    return new Deployments(
        version(running), pending ? other : Optional.empty(), pending ? Optional.empty() : other);
  }

  private static Deployment version(String v) {
    return new Deployment(v, null, null, null);
  }

  @Override
  SelinuxFacts selinuxFacts() {
    try {
      CommandResult result = execute(SESTATUS, STATUS_TIMEOUT);
      return SelinuxFacts.fixed(Optional.of(SestatusParser.parse(result.stdout()).currentMode()));
    } catch (HostException | HostOutputException e) {
      return SelinuxFacts.fixed(Optional.empty()); // reported as unknown, never a failure
    }
  }

  @Override
  public StageProgress stage(OSTarget os, SELinuxPolicy selinux, HostFacts facts)
      throws HostException {
    String target = os.getVersion();
    Optional<BottlerocketUpdateStatus> read;
    try {
      read = status();
    } catch (LockHeld e) {
      return StageProgress.inProgress(POLL, e.getMessage());
    }
    if (read.isPresent()) {
      BottlerocketUpdateStatus s = read.get();
      Optional<String> staged = s.stagingPartition().map(p -> p.image().version());
      boolean prepared = s.state() == State.Staged || s.state() == State.Ready;
      if (prepared && staged.equals(Optional.of(target))) {
        return StageProgress.done();
      }
      if (prepared) {
        throw new HostException(
            "OtherUpdatePrepared",
            "Bottlerocket has "
                + staged.orElse("an update")
                + " prepared ("
                + s.state()
                + "),"
                + " not "
                + target
                + "; cancel it with apiclient update cancel");
      }
      Optional<RecentCommand> last = s.mostRecentCommand();
      if (last.isPresent() && last.get().status() == CommandStatus.Unknown) {
        return StageProgress.inProgress(POLL, last.get().type() + " is running");
      }
      if (finishedSince(last, CommandType.Prepare, preparedAt)
          && last.get().status() == CommandStatus.Failed) {
        throw new HostException(
            "PrepareFailed",
            "apiclient raw -u /actions/prepare-update -m POST: the update API reports prepare"
                + " failed: "
                + last.get().stderr().strip());
      }
      boolean chosen = s.chosenUpdate().map(c -> c.version().equals(target)).orElse(false);
      if (s.state() == State.Available && chosen) {
        preparedAt = clock.instant();
        return post(PREPARE, "preparing " + target);
      }
      if (target.equals(refreshedFor) && finishedSince(last, CommandType.Refresh, refreshedAt)) {
        throw new HostException(
            "VersionNotOffered",
            "Bottlerocket's update repository does not offer "
                + target
                + " to this host"
                + " (available: "
                + s.availableUpdates()
                + ", chosen: "
                + s.chosenUpdate().map(BottlerocketUpdateStatus.Image::version).orElse("none")
                + ")");
      }
    }
    if (!target.equals(refreshedFor)) {
      run(versionLock(target), STATUS_TIMEOUT);
      refreshedFor = target;
      refreshedAt = clock.instant();
      return post(REFRESH, "refreshing the update list for " + target);
    }
    return StageProgress.inProgress(POLL, "waiting for the update list");
  }

  private static boolean finishedSince(Optional<RecentCommand> last, CommandType type, Instant t) {
    return last.isPresent()
        && last.get().type() == type
        && last.get().status() != CommandStatus.Unknown
        && !last.get().timestamp().isBefore(t.minusSeconds(1));
  }

  /** POSTs an action; a held lock or a state the API is not ready for means: look again later. */
  private StageProgress post(List<String> action, String doing) throws HostException {
    CommandResult result = execute(action, STATUS_TIMEOUT);
    if (result.succeeded()) {
      return StageProgress.inProgress(POLL, doing);
    }
    BottlerocketActionOutcome outcome = outcome(result);
    if (outcome.retryable() || outcome instanceof BottlerocketActionOutcome.NotAllowed) {
      return StageProgress.inProgress(POLL, result.commandLine() + ": " + outcome);
    }
    throw failure(result, outcome);
  }

  @Override
  public void finalizeAndReboot(HostFacts facts) throws HostException {
    Optional<BottlerocketUpdateStatus> s = status();
    if (s.isPresent() && s.get().state() == State.Staged) {
      CommandResult result = execute(ACTIVATE, STATUS_TIMEOUT);
      if (!result.succeeded()) {
        throw failure(result, outcome(result));
      }
    }
    run(REBOOT, REBOOT_TIMEOUT);
  }

  @Override
  public void rollbackAndReboot(HostFacts facts) throws HostException {
    run(ROLLBACK, STATUS_TIMEOUT);
    run(REBOOT, REBOOT_TIMEOUT);
  }

  private static BottlerocketActionOutcome outcome(CommandResult result) throws HostException {
    try {
      return BottlerocketActionParser.parse(result);
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  private static HostException failure(CommandResult result, BottlerocketActionOutcome outcome) {
    String message = result.commandLine() + ": " + describe(outcome);
    return outcome instanceof BottlerocketActionOutcome.LockHeld
        ? new LockHeld(message)
        : new HostException(HostException.COMMAND_FAILED, message);
  }

  private static String describe(BottlerocketActionOutcome outcome) {
    if (outcome instanceof BottlerocketActionOutcome.LockHeld l) {
      return "update lock held (423 " + l.path() + ": " + l.reason() + ")";
    }
    if (outcome instanceof BottlerocketActionOutcome.Rejected r) {
      return r.httpStatus() + " " + r.path() + ": " + r.reason();
    }
    if (outcome instanceof BottlerocketActionOutcome.NotAllowed n) {
      return "409 " + n.path() + ": " + n.reason();
    }
    return outcome.toString();
  }

  /** Another update command holds thar-be-updates' lock (HTTP 423): try again later. */
  static final class LockHeld extends HostException {
    private static final long serialVersionUID = 1L;

    LockHeld(String message) {
      super("UpdateLockHeld", message);
    }
  }
}
