package dev.refit.updater.selinux;

import dev.refit.updater.host.HostOutputException;
import java.util.List;

/**
 * Parses {@code getenforce}. libselinux's getenforce prints exactly one of three words with {@code
 * puts}: {@code Enforcing}, {@code Permissive}, or {@code Disabled} when no policy is loaded; its
 * failures go to stderr with exit status 2. Anything else, even the right word in another case or
 * with more on the line, is not what the tool prints and is an error.
 */
public final class GetenforceParser {

  /** The command. */
  public static final List<String> COMMAND = List.of("getenforce");

  private GetenforceParser() {}

  /** Parses the command's standard output. */
  public static HostSelinuxMode parse(String stdout) throws HostOutputException {
    String line = stdout == null ? "" : stdout;
    if (line.endsWith("\n")) {
      line = line.substring(0, line.length() - 1);
    }
    for (HostSelinuxMode mode : HostSelinuxMode.values()) {
      if (word(mode).equals(line)) {
        return mode;
      }
    }
    throw new HostOutputException("getenforce", "one of Enforcing, Permissive, Disabled", stdout);
  }

  /** The word getenforce prints for a mode. */
  public static String word(HostSelinuxMode mode) {
    return switch (mode) {
      case ENFORCING -> "Enforcing";
      case PERMISSIVE -> "Permissive";
      case DISABLED -> "Disabled";
    };
  }
}
