package dev.refit.updater.agent;

import java.time.Instant;
import java.util.Objects;

/**
 * A reboot the agent asked the host for, recorded on the host just before asking.
 *
 * @param actionId the instruction the reboot carries out
 * @param bootId the boot the request was made in
 * @param requestedAt when it was recorded
 */
public record RebootRequest(String actionId, String bootId, Instant requestedAt) {

  /** Validates the fields. */
  public RebootRequest {
    Objects.requireNonNull(actionId, "actionId");
    Objects.requireNonNull(bootId, "bootId");
    Objects.requireNonNull(requestedAt, "requestedAt");
  }
}
