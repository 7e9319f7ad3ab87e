package dev.refit.updater.backend.flatcar;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Flatcar's update_engine status, from {@code update_engine_client -status}.
 *
 * @param operation what update_engine is doing ({@code CURRENT_OP})
 * @param progress download progress from 0 to 1 ({@code PROGRESS})
 * @param lastChecked when it last asked the update server; absent if never ({@code 0})
 * @param newVersion the version being or already installed, from the update server's answer; absent
 *     when update_engine reports none ({@code 0.0.0}, or {@code 0.0.0.0} before
 *     coreos/update_engine#137). update_engine keeps it in memory only (flatcar/update_engine
 *     {@code update_attempter.cc}): after update_engine restarts (its unit has {@code
 *     Restart=always}) an installed update is still reported, from the marker
 *     /run/update_engine_autoupdate_completed that lasts until the reboot, as {@code
 *     UPDATE_STATUS_UPDATED_NEED_REBOOT} with {@code 0.0.0}: installed, of unknown version
 * @param newSize the payload size in bytes ({@code NEW_SIZE}), 0 if none
 */
public record UpdateEngineStatus(
    Operation operation,
    double progress,
    Optional<Instant> lastChecked,
    Optional<String> newVersion,
    long newSize) {

  /** update_engine's states, as printed in {@code CURRENT_OP}. */
  public enum Operation {
    /** Nothing going on. */
    UPDATE_STATUS_IDLE,
    /** Asking the update server. */
    UPDATE_STATUS_CHECKING_FOR_UPDATE,
    /** The server offered an update. */
    UPDATE_STATUS_UPDATE_AVAILABLE,
    /** Downloading the payload. */
    UPDATE_STATUS_DOWNLOADING,
    /** Checking the payload. */
    UPDATE_STATUS_VERIFYING,
    /** Writing the other partition and bootloader flags. */
    UPDATE_STATUS_FINALIZING,
    /** Installed: the next boot runs the new version. */
    UPDATE_STATUS_UPDATED_NEED_REBOOT,
    /** Reporting a failed attempt to the server. */
    UPDATE_STATUS_REPORTING_ERROR_EVENT
  }

  /** Validates the fields. */
  public UpdateEngineStatus {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(lastChecked, "lastChecked");
    Objects.requireNonNull(newVersion, "newVersion");
  }

  /** Whether an update is installed and only a reboot is missing (its version may be unknown). */
  public boolean needsReboot() {
    return operation == Operation.UPDATE_STATUS_UPDATED_NEED_REBOOT;
  }

  /** Whether update_engine is busy between checking and finalizing. */
  public boolean inProgress() {
    return switch (operation) {
      case UPDATE_STATUS_CHECKING_FOR_UPDATE,
          UPDATE_STATUS_UPDATE_AVAILABLE,
          UPDATE_STATUS_DOWNLOADING,
          UPDATE_STATUS_VERIFYING,
          UPDATE_STATUS_FINALIZING ->
          true;
      default -> false;
    };
  }
}
