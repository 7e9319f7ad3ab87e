package dev.refit.updater.selinux;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@code sestatus} (and {@code sestatus -b}) reports.
 *
 * @param currentMode the mode in force; {@link HostSelinuxMode#DISABLED} when SELinux status is
 *     disabled
 * @param configMode the mode {@code /etc/selinux/config} asks for at boot ("Mode from config file")
 * @param loadedPolicy the loaded policy's name: {@code targeted}, {@code mls}, or Bottlerocket's
 *     {@code fortified}
 * @param mlsEnabled "Policy MLS status"
 * @param denyUnknown "Policy deny_unknown status": {@code allowed}, {@code denied} or {@code
 *     rejected}
 * @param maxKernelPolicyVersion "Max kernel policy version"
 * @param fields every {@code Key: value} line of the header, as printed
 * @param booleans the "Policy booleans" section of {@code sestatus -b}; empty without {@code -b}
 */
public record SestatusReport(
    HostSelinuxMode currentMode,
    Optional<HostSelinuxMode> configMode,
    Optional<String> loadedPolicy,
    Optional<Boolean> mlsEnabled,
    Optional<String> denyUnknown,
    OptionalInt maxKernelPolicyVersion,
    Map<String, String> fields,
    Map<String, Boolean> booleans) {

  /** Validates and copies the fields, keeping their order. */
  public SestatusReport {
    Objects.requireNonNull(currentMode, "currentMode");
    Objects.requireNonNull(configMode, "configMode");
    Objects.requireNonNull(loadedPolicy, "loadedPolicy");
    Objects.requireNonNull(mlsEnabled, "mlsEnabled");
    Objects.requireNonNull(denyUnknown, "denyUnknown");
    Objects.requireNonNull(maxKernelPolicyVersion, "maxKernelPolicyVersion");
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    booleans = Collections.unmodifiableMap(new LinkedHashMap<>(booleans));
  }

  /** Whether SELinux is enabled (a policy is loaded). */
  public boolean enabled() {
    return currentMode != HostSelinuxMode.DISABLED;
  }

  /** Whether the mode at next boot differs from the mode now: a reboot would change it. */
  public boolean modeChangesAtBoot() {
    return configMode.isPresent() && configMode.get() != currentMode;
  }
}
