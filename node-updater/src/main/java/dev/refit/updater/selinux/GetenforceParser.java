package dev.refit.updater.selinux;

import dev.refit.updater.host.HostOutputException;
import java.util.List;

/**
 * Parses {@code getenforce}: one word, {@code Enforcing}, {@code Permissive} or {@code Disabled}.
 */
public final class GetenforceParser {

  /** The command. */
  public static final List<String> COMMAND = List.of("getenforce");

  private GetenforceParser() {}

  /** Parses the command's standard output. */
  public static HostSelinuxMode parse(String stdout) throws HostOutputException {
    return HostSelinuxMode.fromText(stdout)
        .orElseThrow(
            () ->
                new HostOutputException(
                    "getenforce", "one of Enforcing, Permissive, Disabled", stdout));
  }
}
