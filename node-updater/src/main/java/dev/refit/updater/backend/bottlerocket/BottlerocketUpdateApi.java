package dev.refit.updater.backend.bottlerocket;

import dev.refit.updater.backend.CommandBackend;
import dev.refit.updater.backend.Sleeper;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.LockHeld;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.NotAllowed;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.Rejected;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.Succeeded;
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
import java.util.function.Predicate;

/**
 * Bottlerocket's update API through {@code apiclient raw}. thar-be-updates forks for every command
 * and its child holds the update lock until the command is done, so a POST returns before the work
 * is done and {@code GET /updates/status} answers 423 Locked the whole time (a download can take
 * minutes). A 423 therefore means busy, never failed: {@link #read} reports it as such, and the
 * last status read in this boot stands in for the facts meanwhile. A command is known to be done
 * when {@code most_recent_command} names it with a timestamp other than the one seen before it was
 * posted, which is how {@code apiclient update apply} waits too.
 */
final class BottlerocketUpdateApi {

  /** Runs a host command whose non-zero exit carries information. */
  interface Exec {
    CommandResult execute(List<String> argv, Duration timeout) throws HostException;
  }

  static final List<String> STATUS = BottlerocketStatusParser.STATUS_COMMAND;
  static final List<String> DEACTIVATE = post("/actions/deactivate-update");

  /** How often a call that waits for the API (activation, deactivation) looks again. */
  static final Duration IN_CALL_POLL = Duration.ofSeconds(2);

  /** How long an activation or deactivation (a GPT flag write) may take to show in the status. */
  static final Duration FLAG_WRITE_BOUND = Duration.ofMinutes(2);

  /**
   * One read of the status.
   *
   * @param status the status; empty when the lock is held or the API was never initialized
   * @param busy the API's words when it answered 423 Locked, else null
   */
  record Read(Optional<BottlerocketUpdateStatus> status, String busy) {
    boolean isBusy() {
      return busy != null;
    }
  }

  private final Exec exec;
  private final Clock clock;
  private final Sleeper sleeper;
  private Optional<BottlerocketUpdateStatus> lastKnown = Optional.empty();
  private String lastKnownBoot;

  BottlerocketUpdateApi(Exec exec, Clock clock, Sleeper sleeper) {
    this.exec = exec;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  static List<String> post(String uri) {
    return List.of("apiclient", "raw", "-u", uri, "-m", "POST");
  }

  /** Forgets the last known status when the host booted since it was read (it lives on tmpfs). */
  void inBoot(String bootId) {
    if (!bootId.equals(lastKnownBoot)) {
      lastKnown = Optional.empty();
      lastKnownBoot = bootId;
    }
  }

  /** The last status read in this boot. */
  Optional<BottlerocketUpdateStatus> lastKnown() {
    return lastKnown;
  }

  /** Reads {@code /updates/status}: the status, busy (423), or uninitialized (404). */
  Read read() throws HostException {
    CommandResult result = exec.execute(STATUS, CommandBackend.STATUS_TIMEOUT);
    try {
      if (result.succeeded()) {
        lastKnown = Optional.of(BottlerocketStatusParser.parse(result.stdout()));
        return new Read(lastKnown, null);
      }
      BottlerocketActionOutcome outcome = BottlerocketActionParser.parse(result);
      if (outcome instanceof LockHeld l) {
        return new Read(Optional.empty(), l.reason());
      }
      if (outcome instanceof Rejected r && r.statusUninitialized()) {
        return new Read(Optional.empty(), null);
      }
      throw failure(result, outcome);
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  /** POSTs an action and classifies the answer. */
  BottlerocketActionOutcome post(List<String> action) throws HostException {
    CommandResult result = exec.execute(action, CommandBackend.STATUS_TIMEOUT);
    try {
      return BottlerocketActionParser.parse(result);
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  /** Reads the status, waiting while the lock is held, up to {@code bound}. */
  Read awaitReadable(Duration bound, String why) throws HostException {
    Instant deadline = clock.instant().plus(bound);
    while (true) {
      Read read = read();
      if (!read.isBusy()) {
        return read;
      }
      pause(deadline, "the update lock stayed held (" + read.busy() + ") while " + why);
    }
  }

  /**
   * Waits until the status shows {@code type} finished after {@code before} (the last command's
   * timestamp when it was posted), or shows {@code reached} (the state the command leads to, should
   * another caller's command have replaced ours in {@code most_recent_command} already).
   */
  BottlerocketUpdateStatus awaitCommand(
      CommandType type, Optional<Instant> before, Predicate<BottlerocketUpdateStatus> reached)
      throws HostException {
    Instant deadline = clock.instant().plus(FLAG_WRITE_BOUND);
    while (true) {
      Read read = read();
      if (read.status().isPresent()) {
        BottlerocketUpdateStatus s = read.status().get();
        if (finished(s, type, before) || reached.test(s)) {
          return s;
        }
      }
      pause(
          deadline,
          "POST for "
              + type.name().toLowerCase(Locale.ROOT)
              + " was accepted, but /updates/status has not shown it finished");
    }
  }

  /** Whether the last command is {@code type}, finished, and newer than {@code before}. */
  static boolean finished(BottlerocketUpdateStatus s, CommandType type, Optional<Instant> before) {
    Optional<RecentCommand> last = s.mostRecentCommand();
    return last.isPresent()
        && last.get().type() == type
        && last.get().status() != CommandStatus.Unknown
        && !before.equals(Optional.of(last.get().timestamp()));
  }

  /** The timestamp of the last command, to recognise the next one. */
  static Optional<Instant> lastTimestamp(Optional<BottlerocketUpdateStatus> s) {
    return s.flatMap(BottlerocketUpdateStatus::mostRecentCommand).map(RecentCommand::timestamp);
  }

  /**
   * Undoes an activation ({@code Ready} back to {@code Staged}): the next boot, whoever causes it,
   * boots the running version again. Allowed by thar-be-updates only in {@code Ready}.
   */
  void deactivate() throws HostException {
    Read read = awaitReadable(FLAG_WRITE_BOUND, "deactivating the update");
    if (read.status().isEmpty() || read.status().get().state() != State.Ready) {
      return;
    }
    Optional<Instant> before = lastTimestamp(read.status());
    BottlerocketActionOutcome outcome = postWhenFree(DEACTIVATE);
    if (!(outcome instanceof Succeeded) && !(outcome instanceof NotAllowed)) {
      throw failure(String.join(" ", DEACTIVATE), outcome);
    }
    BottlerocketUpdateStatus s =
        awaitCommand(CommandType.Deactivate, before, st -> st.state() == State.Staged);
    if (s.state() != State.Staged) {
      throw new HostException(
          "DeactivateFailed",
          "apiclient raw -u /actions/deactivate-update -m POST: the update API reports deactivate "
              + s.mostRecentCommand().map(c -> c.status() + ": " + c.stderr().strip()).orElse("")
              + "; the next boot still boots the activated update: run apiclient update cancel");
    }
  }

  /** POSTs, retrying while another command holds the lock (bounded). */
  BottlerocketActionOutcome postWhenFree(List<String> action) throws HostException {
    Instant deadline = clock.instant().plus(FLAG_WRITE_BOUND);
    while (true) {
      BottlerocketActionOutcome outcome = post(action);
      if (!(outcome instanceof LockHeld l)) {
        return outcome;
      }
      pause(
          deadline,
          String.join(" ", action) + ": the update lock stayed held (" + l.reason() + ")");
    }
  }

  private void pause(Instant deadline, String timeoutMessage) throws HostException {
    if (!clock.instant().isBefore(deadline)) {
      throw new HostException(
          "UpdateApiUnconfirmed", timeoutMessage + " after " + FLAG_WRITE_BOUND.toSeconds() + "s");
    }
    try {
      sleeper.sleep(IN_CALL_POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostException(HostException.COMMAND_FAILED, "interrupted: " + timeoutMessage);
    }
  }

  static HostException failure(CommandResult result, BottlerocketActionOutcome outcome) {
    return failure(result.commandLine(), outcome);
  }

  static HostException failure(String commandLine, BottlerocketActionOutcome outcome) {
    return new HostException(HostException.COMMAND_FAILED, commandLine + ": " + describe(outcome));
  }

  static String describe(BottlerocketActionOutcome outcome) {
    if (outcome instanceof LockHeld l) {
      return "update lock held (423 " + l.path() + ": " + l.reason() + ")";
    }
    if (outcome instanceof Rejected r) {
      return r.httpStatus() + " " + r.path() + ": " + r.reason();
    }
    if (outcome instanceof NotAllowed n) {
      return "409 " + n.path() + ": " + n.reason();
    }
    return outcome.toString();
  }
}
