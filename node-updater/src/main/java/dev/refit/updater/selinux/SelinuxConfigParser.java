package dev.refit.updater.selinux;

import dev.refit.updater.host.HostOutputException;
import java.util.List;
import java.util.Optional;

/**
 * Parses {@code /etc/selinux/config}: {@code #} comments, blank lines, and {@code KEY=value} lines,
 * of which {@code SELINUX=} (required) and {@code SELINUXTYPE=} are read. Trailing spaces after a
 * value are common in hand-edited files and are ignored; an unknown mode is an error.
 */
public final class SelinuxConfigParser {

  /** The file, read through the host runner. */
  public static final List<String> COMMAND = List.of("cat", "/etc/selinux/config");

  private static final String SOURCE = "/etc/selinux/config";

  private SelinuxConfigParser() {}

  /** Parses the file's content. */
  public static SelinuxConfig parse(String content) throws HostOutputException {
    String mode = null;
    String type = null;
    if (content != null) {
      for (String raw : content.split("\n")) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int eq = line.indexOf('=');
        if (eq <= 0) {
          throw new HostOutputException(SOURCE, "KEY=value lines or # comments", raw);
        }
        String key = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        if (key.equals("SELINUX")) {
          mode = value;
        } else if (key.equals("SELINUXTYPE")) {
          type = value;
        }
      }
    }
    if (mode == null) {
      throw new HostOutputException(SOURCE, "a SELINUX= line", content);
    }
    String modeText = mode;
    HostSelinuxMode parsed =
        HostSelinuxMode.fromText(modeText)
            .orElseThrow(
                () ->
                    new HostOutputException(
                        SOURCE,
                        "SELINUX=enforcing, permissive or disabled",
                        "SELINUX=" + modeText));
    if (type != null && type.isEmpty()) {
      throw new HostOutputException(SOURCE, "a policy name after SELINUXTYPE=", "SELINUXTYPE=");
    }
    return new SelinuxConfig(parsed, Optional.ofNullable(type));
  }
}
