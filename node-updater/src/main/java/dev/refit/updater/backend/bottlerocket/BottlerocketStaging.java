package dev.refit.updater.backend.bottlerocket;

import dev.refit.updater.agent.StageProgress;
import dev.refit.updater.backend.CommandBackend;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.LockHeld;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.NotAllowed;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.Succeeded;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.Unconfirmed;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.CommandStatus;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.CommandType;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.RecentCommand;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.State;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostOutputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Staging one target on Bottlerocket, a step per call, each made once the update API shows the
 * previous one done: pin the version ({@code apiclient set}), wait until the settings applier has
 * written the pin into the files the update tools read, refresh the update list, prepare (download
 * and write the inactive partition set). What it learns (which commands it posted, and what the
 * status looked like before each) belongs to one instruction: {@link #forget} starts afresh, so a
 * failure the host reported for an earlier instruction is never held against a new one.
 */
final class BottlerocketStaging {

  static final Duration POLL = Duration.ofSeconds(10);
  static final Duration SETTINGS_BOUND = Duration.ofMinutes(2);
  static final Duration REFRESH_BOUND = Duration.ofMinutes(10);
  static final List<String> REFRESH = BottlerocketUpdateApi.post("/actions/refresh-updates");
  static final List<String> PREPARE = BottlerocketUpdateApi.post("/actions/prepare-update");
  static final List<String> UPDOG_TOML = List.of("cat", "/etc/updog.toml");
  static final List<String> THAR_BE_UPDATES_TOML = List.of("cat", "/etc/thar-be-updates.toml");

  private static final Pattern TOML_LINE =
      Pattern.compile("^\\s*([A-Za-z0-9_-]+)\\s*=\\s*\"?(.*?)\"?\\s*$");

  private enum Phase {
    PIN,
    SETTLE,
    REFRESH,
    PREPARE
  }

  private final BottlerocketUpdateApi api;
  private final BottlerocketUpdateApi.Exec exec;
  private final Clock clock;
  private String target;
  private Phase phase = Phase.PIN;
  private Instant phaseSince = Instant.EPOCH;
  private Optional<Instant> before = Optional.empty();

  BottlerocketStaging(BottlerocketUpdateApi api, BottlerocketUpdateApi.Exec exec, Clock clock) {
    this.api = api;
    this.exec = exec;
    this.clock = clock;
  }

  static List<String> versionLock(String version) {
    return List.of(
        "apiclient", "set", "updates.version-lock=v" + version, "updates.ignore-waves=true");
  }

  /** Forgets everything learnt for an earlier instruction. */
  void forget() {
    target = null;
    phase = Phase.PIN;
    before = Optional.empty();
  }

  StageProgress stage(String version) throws HostException {
    if (!version.equals(target)) {
      forget();
      target = version;
    }
    BottlerocketUpdateApi.Read read = api.read();
    if (read.isBusy()) {
      // thar-be-updates holds its lock for as long as a command runs, a download included.
      return StageProgress.inProgress(
          POLL,
          "update API busy (423: " + read.busy() + "), " + phase.name().toLowerCase(Locale.ROOT));
    }
    Optional<BottlerocketUpdateStatus> s = read.status();
    if (s.isPresent()) {
      if (s.get().stagedVersion().equals(Optional.of(target))) {
        return StageProgress.done();
      }
      if (s.get().state() == State.Ready) {
        throw otherActivated(s.get());
      }
    }
    return switch (phase) {
      case PIN -> pin(s);
      case SETTLE -> settle(s);
      case REFRESH -> afterRefresh(s);
      case PREPARE -> afterPrepare(s);
    };
  }

  private StageProgress pin(Optional<BottlerocketUpdateStatus> s) throws HostException {
    mustSucceed(exec.execute(versionLock(target), CommandBackend.STATUS_TIMEOUT));
    phase = Phase.SETTLE;
    phaseSince = clock.instant();
    return settle(s);
  }

  /**
   * {@code apiclient set} returns once the settings are committed; the settings applier renders
   * /etc/updog.toml (version_lock, ignore_waves: read by updog) and /etc/thar-be-updates.toml
   * (version-lock: read by thar-be-updates to choose the update) in the background.
   */
  private StageProgress settle(Optional<BottlerocketUpdateStatus> s) throws HostException {
    Optional<String> pending = settingsPending();
    if (pending.isEmpty()) {
      return postThen(REFRESH, Phase.REFRESH, s, "refreshing the update list for " + target);
    }
    if (!clock.instant().isBefore(phaseSince.plus(SETTINGS_BOUND))) {
      throw new HostException(
          "SettingsNotApplied",
          String.join(" ", versionLock(target))
              + " succeeded, but after "
              + SETTINGS_BOUND.toSeconds()
              + "s "
              + pending.get()
              + "; the settings applier (thar-be-settings) did not render it: see journalctl -u"
              + " settings-applier on the host");
    }
    return StageProgress.inProgress(POLL, "waiting for the settings applier: " + pending.get());
  }

  private StageProgress afterRefresh(Optional<BottlerocketUpdateStatus> s) throws HostException {
    if (s.isEmpty() || !BottlerocketUpdateApi.finished(s.get(), CommandType.Refresh, before)) {
      if (!clock.instant().isBefore(phaseSince.plus(REFRESH_BOUND))) {
        throw new HostException(
            "RefreshUnconfirmed",
            "refresh-updates was accepted but /updates/status has not shown it finished after "
                + REFRESH_BOUND.toMinutes()
                + " min");
      }
      return StageProgress.inProgress(POLL, "waiting for the update list");
    }
    BottlerocketUpdateStatus st = s.get();
    RecentCommand last = st.mostRecentCommand().orElseThrow();
    if (last.status() == CommandStatus.Failed) {
      throw new HostException(
          "RefreshFailed",
          "the update API could not refresh the update list (updog whats failed): "
              + last.stderr().strip());
    }
    boolean chosen = st.chosenUpdate().map(c -> c.version().equals(target)).orElse(false);
    if (chosen && (st.state() == State.Available || st.state() == State.Staged)) {
      return postThen(
          PREPARE, Phase.PREPARE, s, "downloading " + target + " to the inactive partition set");
    }
    throw new HostException(
        "VersionNotOffered",
        "Bottlerocket's update repository does not offer "
            + target
            + " to this host: after pinning it (version-lock v"
            + target
            + ", ignore-waves) and refreshing, the update API chose "
            + st.chosenUpdate().map(BottlerocketUpdateStatus.Image::version).orElse("nothing")
            + " (available: "
            + st.availableUpdates()
            + "); check that "
            + target
            + " is published for this variant");
  }

  private StageProgress afterPrepare(Optional<BottlerocketUpdateStatus> s) throws HostException {
    if (s.isEmpty() || !BottlerocketUpdateApi.finished(s.get(), CommandType.Prepare, before)) {
      return StageProgress.inProgress(POLL, "downloading " + target);
    }
    RecentCommand last = s.get().mostRecentCommand().orElseThrow();
    throw new HostException(
        "PrepareFailed",
        "the update API reports prepare "
            + last.status()
            + " for "
            + target
            + (last.stderr().isBlank() ? "" : ": " + last.stderr().strip())
            + " (staged: "
            + s.get().stagedVersion().orElse("nothing")
            + ")");
  }

  /** POSTs an action; a held lock or a state the API is not ready for means: look again later. */
  private StageProgress postThen(
      List<String> action, Phase next, Optional<BottlerocketUpdateStatus> s, String doing)
      throws HostException {
    Optional<Instant> prior = BottlerocketUpdateApi.lastTimestamp(s);
    BottlerocketActionOutcome outcome = api.post(action);
    if (outcome instanceof Succeeded) {
      phase = next;
      phaseSince = clock.instant();
      before = prior;
      return StageProgress.inProgress(POLL, doing);
    }
    if (outcome instanceof LockHeld
        || outcome instanceof NotAllowed
        || outcome instanceof Unconfirmed) {
      return StageProgress.inProgress(
          POLL, String.join(" ", action) + ": " + BottlerocketUpdateApi.describe(outcome));
    }
    throw BottlerocketUpdateApi.failure(String.join(" ", action), outcome);
  }

  /** What the rendered settings files still lack, or empty when both carry the pin. */
  private Optional<String> settingsPending() throws HostException {
    CommandResult updog = mustSucceed(exec.execute(UPDOG_TOML, CommandBackend.STATUS_TIMEOUT));
    String lock = value(updog, "version_lock");
    String waves = value(updog, "ignore_waves");
    if (!sameVersion(lock, target) || !waves.equals("true")) {
      return Optional.of(
          "/etc/updog.toml has version_lock = \"" + lock + "\", ignore_waves = " + waves);
    }
    CommandResult tbu = exec.execute(THAR_BE_UPDATES_TOML, CommandBackend.STATUS_TIMEOUT);
    if (!tbu.succeeded() && tbu.stderr().contains("No such file")) {
      return Optional.empty(); // older thar-be-updates read the lock through the API itself
    }
    String tbuLock = value(mustSucceed(tbu), "version-lock");
    return sameVersion(tbuLock, target)
        ? Optional.empty()
        : Optional.of("/etc/thar-be-updates.toml has version-lock = \"" + tbuLock + "\"");
  }

  /** A {@code key = value} line of a rendered TOML file (quotes dropped); missing is an error. */
  private static String value(CommandResult file, String key) throws HostException {
    for (String line : file.stdout().split("\n")) {
      Matcher m = TOML_LINE.matcher(line);
      if (m.matches() && m.group(1).equals(key)) {
        return m.group(2);
      }
    }
    throw HostException.of(
        new HostOutputException(file.commandLine(), "a line " + key + " = ...", file.stdout()));
  }

  private static boolean sameVersion(String configured, String version) {
    return configured.replaceFirst("^v", "").equals(version.replaceFirst("^v", ""));
  }

  private static CommandResult mustSucceed(CommandResult result) throws HostException {
    if (!result.succeeded()) {
      throw new HostException(
          HostException.COMMAND_FAILED,
          result.commandLine()
              + ": exit status "
              + result.exitCode()
              + ": "
              + result.combinedOutput().strip());
    }
    return result;
  }

  private HostException otherActivated(BottlerocketUpdateStatus s) {
    return new HostException(
        "OtherUpdateActivated",
        "Bottlerocket has "
            + s.stagedVersion().orElse("an update")
            + " activated (update state Ready): the next boot, whoever causes it, boots it, not the"
            + " target "
            + target
            + ". Cancel it on the host with apiclient update cancel (the update API's"
            + " deactivate-update, allowed only in Ready), then Stage again");
  }
}
