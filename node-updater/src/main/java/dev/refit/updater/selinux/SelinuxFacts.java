package dev.refit.updater.selinux;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The SELinux side of a host, as the agent decides on it.
 *
 * @param configurable false where the policy is fixed (Bottlerocket) or SELinux is disabled; a
 *     policy's SELinux part is then reported, never applied
 * @param mode the mode in force now ({@code getenforce}); empty where SELinux is not readable
 * @param configuredMode the mode the next boot uses ({@code SELINUX=} in /etc/selinux/config)
 * @param booleans the current value of every boolean the host defines
 * @param modules the modules Refit installed and the host still lists, by name; of a module Refit
 *     installed at two priorities, the copy at the higher one, which is the one in force
 * @param superseded copies Refit installed that a higher-priority copy of its own overrides (left
 *     by a priority change that stopped before it removed the old copy): not in force, but in force
 *     again once the higher copy goes, so the next live apply removes them
 */
public record SelinuxFacts(
    boolean configurable,
    Optional<HostSelinuxMode> mode,
    Optional<HostSelinuxMode> configuredMode,
    Map<String, Boolean> booleans,
    Map<String, InstalledModule> modules,
    List<InstalledModule> superseded) {

  /**
   * A module Refit installed: name, the priority it was installed at, and a digest of its CIL
   * source, so a changed source is told apart from the installed one.
   *
   * @param name the module name
   * @param priority the semodule priority
   * @param digest the digest of the CIL source ({@link ModuleDigests}): {@code sha256:} and 64 hex
   *     digits, or the first 16 hex digits alone in a ledger an older agent wrote
   */
  public record InstalledModule(String name, int priority, String digest) {}

  /** Validates and copies the fields (sorted, so equal facts compare equal). */
  public SelinuxFacts {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(configuredMode, "configuredMode");
    booleans = Collections.unmodifiableMap(new TreeMap<>(booleans));
    modules = Collections.unmodifiableMap(new TreeMap<>(modules));
    superseded =
        superseded.stream()
            .sorted(
                Comparator.comparing(InstalledModule::name)
                    .thenComparingInt(InstalledModule::priority))
            .toList();
  }

  /** Facts in which every module Refit installed is installed once. */
  public SelinuxFacts(
      boolean configurable,
      Optional<HostSelinuxMode> mode,
      Optional<HostSelinuxMode> configuredMode,
      Map<String, Boolean> booleans,
      Map<String, InstalledModule> modules) {
    this(configurable, mode, configuredMode, booleans, modules, List.of());
  }

  /** A host whose policy cannot be changed, running in this mode. */
  public static SelinuxFacts fixed(Optional<HostSelinuxMode> mode) {
    return new SelinuxFacts(false, mode, mode, Map.of(), Map.of());
  }
}
