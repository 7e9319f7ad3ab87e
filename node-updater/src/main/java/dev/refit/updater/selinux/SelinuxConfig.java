package dev.refit.updater.selinux;

import java.util.Objects;
import java.util.Optional;

/**
 * The settings of {@code /etc/selinux/config}, which take effect at the next boot.
 *
 * @param mode {@code SELINUX=}: the mode at boot
 * @param policyType {@code SELINUXTYPE=}: the policy to load, e.g. {@code targeted}
 */
public record SelinuxConfig(HostSelinuxMode mode, Optional<String> policyType) {

  /** Validates the fields. */
  public SelinuxConfig {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(policyType, "policyType");
  }
}
