package dev.refit.updater.selinux;

import dev.refit.api.SELinuxMode;
import java.util.Locale;
import java.util.Optional;

/**
 * The SELinux mode a host reports. Unlike the API's {@link SELinuxMode}, it includes {@link
 * #DISABLED}: a host can be found in that state even though Refit never sets it.
 */
public enum HostSelinuxMode {
  /** Policy loaded and enforced. */
  ENFORCING,
  /** Policy loaded, denials only logged. */
  PERMISSIVE,
  /** No policy loaded. */
  DISABLED;

  /** Reads {@code Enforcing}, {@code enforcing}, {@code PERMISSIVE} ...; empty if none of them. */
  public static Optional<HostSelinuxMode> fromText(String text) {
    if (text == null) {
      return Optional.empty();
    }
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "enforcing" -> Optional.of(ENFORCING);
      case "permissive" -> Optional.of(PERMISSIVE);
      case "disabled" -> Optional.of(DISABLED);
      default -> Optional.empty();
    };
  }

  /** The API's mode, or empty for {@link #DISABLED}, which the API cannot express. */
  public Optional<SELinuxMode> toApi() {
    return switch (this) {
      case ENFORCING -> Optional.of(SELinuxMode.Enforcing);
      case PERMISSIVE -> Optional.of(SELinuxMode.Permissive);
      case DISABLED -> Optional.empty();
    };
  }
}
