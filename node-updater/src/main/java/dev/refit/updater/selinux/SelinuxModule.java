package dev.refit.updater.selinux;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One policy module as {@code semodule} lists it. Which fields are known depends on the listing:
 * {@code --list-modules=full} gives priority and language, legacy {@code -l} gives a version.
 *
 * @param name the module name, e.g. {@code container}
 * @param priority its store priority (100 distribution, 400 local); full listing only
 * @param language {@code pp} or {@code cil}; full listing only
 * @param version the module version; legacy {@code -l} only (modules no longer have versions)
 * @param enabled false when the module is installed but disabled
 */
public record SelinuxModule(
    String name,
    OptionalInt priority,
    Optional<String> language,
    Optional<String> version,
    boolean enabled) {

  /** Validates the fields. */
  public SelinuxModule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(version, "version");
  }
}
