package dev.refit.updater.agent;

import java.util.Objects;

/**
 * Something on the host that makes Refit's update unsafe until a person changes it: another agent
 * that would update or reboot the node on its own (Zincati, locksmithd, a bootc update timer, the
 * Machine Config Daemon). The node-updater reports it in the OSNode's {@code Eligible} condition
 * and starts no work on the host while it holds.
 *
 * @param reason CamelCase, e.g. {@code RebootManagerActive}
 * @param message what was found, where, and what to do about it
 */
public record HostRefusal(String reason, String message) {

  /** Validates the fields. */
  public HostRefusal {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
