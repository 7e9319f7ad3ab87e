package dev.refit.updater.hostmodel;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Bottlerocket OS disk: partition sets A and B, each with an image and the GPT priority flags of
 * its boot partition, as signpost reads and writes them (bottlerocket-core-kit {@code
 * sources/updater/signpost/src/{state,gptprio}.rs}: {@code will_boot}, {@code next}, {@code
 * clear_inactive}, {@code mark_inactive_valid}, {@code upgrade_to_inactive}, {@code
 * cancel_upgrade}, {@code rollback_to_inactive}, the {@code Display} of {@code signpost status}).
 * At boot the set chosen uses a try unless it booted before, and once up is marked successful, as
 * the captures in brentley/bottlerocket-demo README.md show (tries_left 1, then 0 and
 * successful=true after the reboot).
 */
final class BottlerocketDisk {

  static final String DISK = "/dev/nvme0n1";

  /** A partition set: the image written to it and its gptprio flags. */
  static final class PartitionSet {
    String version;
    int priority;
    int tries;
    boolean successful;
    final String devices;

    PartitionSet(String version, int priority, boolean successful, int firstPartition) {
      this.version = version;
      this.priority = priority;
      this.successful = successful;
      this.devices =
          "boot=%sp%d root=%sp%d hash=%sp%d"
              .formatted(DISK, firstPartition, DISK, firstPartition + 1, DISK, firstPartition + 2);
    }

    boolean willBoot() {
      return (priority > 0 && tries > 0) || successful;
    }

    String flags() {
      return "priority=" + priority + " tries_left=" + tries + " successful=" + successful;
    }
  }

  private final Map<String, PartitionSet> sets = new TreeMap<>();
  private String active = "A";

  /** A disk booted from set A with {@code booted}; set B never written. */
  BottlerocketDisk(String booted) {
    sets.put("A", new PartitionSet(booted, 2, true, 2));
    sets.put("B", new PartitionSet(null, 0, false, 6));
  }

  String running() {
    return sets.get(active).version;
  }

  /** The version the next boot runs, null if no set would boot. */
  String nextBoot() {
    String next = next();
    return next == null ? null : sets.get(next).version;
  }

  /** Whether the active set is also the one booted next. */
  boolean activeIsNext() {
    return active.equals(next());
  }

  PartitionSet inactive() {
    return sets.get(active.equals("A") ? "B" : "A");
  }

  PartitionSet activeSet() {
    return sets.get(active);
  }

  /** signpost's next(): the bootable set with the higher priority, A on a tie. */
  String next() {
    PartitionSet a = sets.get("A");
    PartitionSet b = sets.get("B");
    if (a.willBoot() && b.willBoot()) {
      return a.priority >= b.priority ? "A" : "B";
    }
    return a.willBoot() ? "A" : b.willBoot() ? "B" : null;
  }

  /** updog update-image, first step: the other set is cleared and written to disk at once. */
  void clearInactive() {
    PartitionSet other = inactive();
    other.priority = 0;
    other.tries = 0;
    other.successful = false;
  }

  /** updog update-image, last step: the image written, the set marked valid (one try). */
  void writeInactive(String version) {
    inactive().version = version;
    inactive().tries = 1;
  }

  /** updog update-apply: the other set boots next; signpost's error text when it may not. */
  String upgradeToInactive() {
    PartitionSet other = inactive();
    if (other.priority != 0 || other.successful) {
      return "Inactive partition " + DISK + " is already marked for upgrade";
    }
    if (other.tries <= 0) {
      return "Inactive partition " + DISK + " has not been marked valid for upgrade";
    }
    other.priority = 2;
    activeSet().priority = 1;
    return null;
  }

  /** updog update-revert, signpost cancel-upgrade: the active set boots next again. */
  void cancelUpgrade() {
    inactive().priority = 0;
    activeSet().priority = 2;
  }

  /** signpost rollback-to-inactive; its error text when the other set would not boot. */
  String rollbackToInactive() {
    PartitionSet other = inactive();
    if (!other.willBoot()) {
      return "Inactive partition is not valid to roll back to (" + other.flags() + ")";
    }
    other.priority = 2;
    activeSet().priority = 1;
    return null;
  }

  /** The boot: the next set uses a try; an image that fails makes the bootloader fall back. */
  void boot(Set<String> failsToBoot) {
    String chosen = next();
    PartitionSet booting = sets.get(chosen);
    if (!booting.successful) {
      booting.tries = Math.max(0, booting.tries - 1);
      if (failsToBoot.contains(booting.version)) {
        chosen = next();
        booting = sets.get(chosen);
      }
    }
    active = chosen;
    booting.successful = true; // mark-successful-boot.service
  }

  /** What {@code signpost status} prints; the "Set A" line carries the active set's devices. */
  String status() {
    String next = next();
    return "OS disk: "
        + DISK
        + "\n"
        + "Set A:   "
        + activeSet().devices
        + " "
        + sets.get("A").flags()
        + "\n"
        + "Set B:   "
        + inactive().devices
        + " "
        + sets.get("B").flags()
        + "\n"
        + "Active:  Set "
        + active
        + "\n"
        + "Next:    "
        + (next == null ? "None" : "Set " + next)
        + "\n";
  }
}
