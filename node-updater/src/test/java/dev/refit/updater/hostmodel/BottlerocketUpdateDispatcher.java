package dev.refit.updater.hostmodel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * thar-be-updates and the updog commands it runs. Each command is checked against the state
 * machine, then forked: the caller gets its answer at once while the child holds the update lock
 * until its updog command is done, and only then writes the status (bottlerocket {@code
 * sources/api/thar-be-updates/src/main.rs} at 061be84: {@code drive_state_machine}, {@code
 * fork_and_return!}, {@code run}; bottlerocket-core-kit {@code status.rs}: {@code
 * update_available_updates}; {@code sources/updater/updog/src/main.rs}: {@code whats --all} lists
 * the repository's updates within this host's wave unless ignore_waves, {@code update-image}
 * chooses by its own /etc/updog.toml version_lock, prints "Starting update to", or "No update
 * required" and exits 0 having written nothing).
 */
final class BottlerocketUpdateDispatcher {

  /** The settings as the update tools see them. */
  interface Settings {
    /** version_lock in /etc/updog.toml (and version-lock in /etc/thar-be-updates.toml). */
    String renderedLock();

    /** ignore_waves in /etc/updog.toml. */
    boolean renderedWaves();

    /**
     * The version lock thar-be-updates chooses by: its rendered file, or the API on older hosts.
     */
    String chooserLock();
  }

  private record Child(Instant doneAt, Runnable finish) {}

  private final Clock clock;
  private final BottlerocketDisk disk;
  private final Settings settings;
  final List<String> published = new ArrayList<>();
  final Set<String> laterWave = new HashSet<>();
  private static final Duration PREPARE_TAKES = Duration.ofMinutes(4);
  String refreshFailure;
  String prepareFailure;
  private BottlerocketUpdateStatusFile status;
  private Child child;
  private Instant lastStamp = Instant.EPOCH;

  BottlerocketUpdateDispatcher(Clock clock, BottlerocketDisk disk, Settings settings) {
    this.clock = clock;
    this.disk = disk;
    this.settings = settings;
  }

  /** The status file, null before the first command of this boot. */
  BottlerocketUpdateStatusFile status() {
    return status;
  }

  /** Whether a child holds the update lock. */
  boolean locked() {
    return child != null;
  }

  /** The child's work ends once the clock passes its end. */
  void settle() {
    if (child != null && !clock.instant().isBefore(child.doneAt())) {
      Child done = child;
      child = null;
      done.finish().run();
    }
  }

  /** A boot: the shutdown killed any child; /run, and the status with it, starts empty. */
  void boot() {
    child = null;
    status = null;
  }

  /**
   * Runs {@code thar-be-updates <command>}: null once forked, else the API's refusal as {@code
   * <HTTP status>:<body>}.
   */
  String dispatch(String command) {
    if (child != null) {
      return "423:Update lock held";
    }
    if (status == null) { // initialize_update_status, written even if the command is refused
      status = new BottlerocketUpdateStatusFile(disk.running(), disk.activeIsNext());
    }
    String state = status.state;
    String notAllowed = "409:Update action not allowed according to update state";
    String noStaged = "404:No update image applied to staging partition";
    switch (command) {
      case "refresh" -> fork(Duration.ofSeconds(3), this::finishRefresh);
      case "prepare" -> {
        if (!state.equals("Available") && !state.equals("Staged")) {
          return notAllowed;
        }
        if (status.chosen == null) {
          return "404:Previously chosen Update no longer exists";
        }
        disk.clearInactive();
        String chosen = status.chosen;
        fork(PREPARE_TAKES, () -> finishPrepare(chosen));
      }
      case "activate" -> {
        if (!state.equals("Staged")) {
          return notAllowed;
        }
        if (status.stagingVersion == null) {
          return noStaged;
        }
        fork(Duration.ofSeconds(1), this::finishActivate);
      }
      default -> {
        if (!state.equals("Ready")) {
          return notAllowed;
        }
        if (status.stagingVersion == null) {
          return noStaged;
        }
        fork(Duration.ofSeconds(1), this::finishDeactivate);
      }
    }
    return null;
  }

  private void fork(Duration takes, Runnable finish) {
    child = new Child(clock.instant().plus(takes), finish);
  }

  private void finishRefresh() {
    boolean moves = status.state.equals("Idle") || status.state.equals("Available");
    if (refreshFailure != null) {
      status.recent("refresh", 1, refreshFailure, stamp());
      refreshFailure = null;
      status.state = moves ? "Idle" : status.state;
      return;
    }
    status.recent("refresh", 0, "", stamp());
    status.available = offered();
    status.chosen = choose(settings.chooserLock());
    if (moves) {
      status.state = status.chosen != null ? "Available" : "Idle";
    }
  }

  private void finishPrepare(String chosen) {
    if (prepareFailure != null) {
      status.recent("prepare", 1, prepareFailure, stamp());
      prepareFailure = null;
      return;
    }
    String image = choose(settings.renderedLock());
    if (image == null) {
      status.recent("prepare", 0, "No update required\n", stamp());
    } else {
      disk.writeInactive(image);
      status.recent("prepare", 0, "Starting update to " + image + "\n", stamp());
    }
    status.stagingVersion = chosen;
    status.stagingNextToBoot = false;
    status.state = "Staged";
  }

  private void finishActivate() {
    String error = disk.upgradeToInactive();
    if (error != null) {
      status.recent(
          "activate", 1, "Could not mark inactive partition for boot: " + error + "\n", stamp());
      return;
    }
    status.recent("activate", 0, "", stamp());
    status.stagingNextToBoot = true;
    status.activeNextToBoot = false;
    status.state = "Ready";
  }

  private void finishDeactivate() {
    disk.cancelUpgrade();
    status.recent("deactivate", 0, "", stamp());
    status.stagingNextToBoot = false;
    status.activeNextToBoot = true;
    status.state = "Staged";
  }

  /** What updog whats --all lists: the repository's versions, later waves only if ignored. */
  private List<String> offered() {
    return published.stream()
        .filter(v -> settings.renderedWaves() || !laterWave.contains(v))
        .toList();
  }

  /** The update for a version lock: "latest" (the newest newer one), or a version (v optional). */
  private String choose(String lock) {
    List<String> offer = offered();
    if (lock.equals("latest")) {
      return offer.stream().filter(v -> compare(v, disk.running()) > 0).findFirst().orElse(null);
    }
    String wanted = lock.replaceFirst("^v", "");
    return !wanted.equals(disk.running()) && offer.contains(wanted) ? wanted : null;
  }

  /** The status timestamp: thar-be-updates' Utc::now(), strictly increasing here. */
  private Instant stamp() {
    Instant now = clock.instant();
    lastStamp = now.isAfter(lastStamp) ? now : lastStamp.plusNanos(1000);
    return lastStamp;
  }

  static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }
}
