package dev.refit.updater.backend.bottlerocket;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Bottlerocket's update status, as {@code apiclient update check} and {@code GET /updates/status}
 * print it (the update API's state machine, kept by thar-be-updates).
 *
 * @param state where the update state machine is
 * @param availableUpdates versions the update repository offers, newest first
 * @param chosenUpdate the version the host would move to (honours {@code version-lock})
 * @param activePartition the running image, absent before the first refresh
 * @param stagingPartition the image written to the other partition set, if any
 * @param mostRecentCommand the last update command thar-be-updates ran
 */
public record BottlerocketUpdateStatus(
    State state,
    List<String> availableUpdates,
    Optional<Image> chosenUpdate,
    Optional<Partition> activePartition,
    Optional<Partition> stagingPartition,
    Optional<RecentCommand> mostRecentCommand) {

  /** The update API's states. */
  public enum State {
    /** Nothing to do: no update chosen. */
    Idle,
    /** An update is chosen but not downloaded. */
    Available,
    /** The update is written to the staging partition but will not boot yet. */
    Staged,
    /** The staging partition is marked to boot next: a reboot applies the update. */
    Ready
  }

  /** The update commands thar-be-updates runs (printed in lower case: {@code refresh}). */
  public enum CommandType {
    /** Refresh the list of updates ({@code /actions/refresh-updates}). */
    Refresh,
    /** Download and write the chosen update ({@code /actions/prepare-update}). */
    Prepare,
    /** Mark the staged update to boot next ({@code /actions/activate-update}). */
    Activate,
    /** Undo an activation ({@code /actions/deactivate-update}). */
    Deactivate
  }

  /** How a command ended. */
  public enum CommandStatus {
    /** Exit status 0. */
    Success,
    /** Non-zero exit status; see stderr. */
    Failed,
    /** Still running or lost. */
    Unknown
  }

  /**
   * A Bottlerocket image.
   *
   * @param arch e.g. {@code x86_64}
   * @param version semantic version, e.g. {@code 1.19.0}
   * @param variant e.g. {@code aws-k8s-1.28}
   */
  public record Image(String arch, String version, String variant) {}

  /**
   * An image on a partition set.
   *
   * @param image the image written there
   * @param nextToBoot whether the bootloader will boot this set next
   */
  public record Partition(Image image, boolean nextToBoot) {}

  /**
   * The last command the update API ran.
   *
   * @param type which command
   * @param status how it ended
   * @param timestamp when it finished
   * @param exitStatus its exit status, if recorded
   * @param stderr what it printed on stderr (may be empty)
   */
  public record RecentCommand(
      CommandType type,
      CommandStatus status,
      Instant timestamp,
      OptionalInt exitStatus,
      String stderr) {}

  /** Validates and copies the fields. */
  public BottlerocketUpdateStatus {
    Objects.requireNonNull(state, "state");
    availableUpdates = List.copyOf(availableUpdates);
    Objects.requireNonNull(chosenUpdate, "chosenUpdate");
    Objects.requireNonNull(activePartition, "activePartition");
    Objects.requireNonNull(stagingPartition, "stagingPartition");
    Objects.requireNonNull(mostRecentCommand, "mostRecentCommand");
  }

  /** The version running now. */
  public Optional<String> runningVersion() {
    return activePartition.map(p -> p.image().version());
  }

  /**
   * The version prepared on the other partition set for the next update: the staging partition's
   * image while the state is {@code Staged} (written, not yet marked to boot) or {@code Ready}
   * (marked to boot next). In any other state the staging partition, if listed, is not an update.
   */
  public Optional<String> stagedVersion() {
    return state == State.Staged || state == State.Ready
        ? stagingPartition.map(p -> p.image().version())
        : Optional.empty();
  }

  /** The version the next boot will run: whichever partition is marked next to boot. */
  public Optional<String> nextBootVersion() {
    if (stagingPartition.isPresent() && stagingPartition.get().nextToBoot()) {
      return Optional.of(stagingPartition.get().image().version());
    }
    return runningVersion();
  }

  /** Whether a reboot would switch to another image (state Ready). */
  public boolean rebootPending() {
    return stagingPartition.map(Partition::nextToBoot).orElse(false);
  }
}
