package dev.refit.updater.selinux;

import dev.refit.updater.host.HostOutputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code getsebool -a}: {@code name --> on|off} lines, with {@code pending: on|off} after
 * the value when a change is pending. On a host without SELinux it prints only {@code <argv0>:
 * SELinux is disabled} (on stderr, exit status 1); that is a fact, not an error, so it parses to
 * {@link SelinuxBooleans#disabled()}. A policy without booleans prints {@code No booleans}. Pass
 * stdout and stderr together.
 */
public final class GetseboolParser {

  /** The command. */
  public static final List<String> COMMAND = List.of("getsebool", "-a");

  private static final String COMMAND_LINE = "getsebool -a";
  private static final Pattern LINE =
      Pattern.compile("^(\\S+) --> (on|off)(?: pending: (on|off))?$");
  private static final Pattern DISABLED =
      Pattern.compile("^\\S*getsebool:\\s+SELinux is disabled$");

  private GetseboolParser() {}

  /** Parses the command's output. */
  public static SelinuxBooleans parse(String output) throws HostOutputException {
    String expected = "lines of \"name --> on|off\"";
    if (output == null || output.isBlank()) {
      throw new HostOutputException(COMMAND_LINE, expected, output);
    }
    String trimmed = output.strip();
    if (DISABLED.matcher(trimmed).matches()) {
      return SelinuxBooleans.disabled();
    }
    if (trimmed.equals("No booleans")) {
      return new SelinuxBooleans(true, Map.of());
    }
    Map<String, SelinuxBooleans.Value> values = new LinkedHashMap<>();
    for (String raw : trimmed.split("\n")) {
      Matcher m = LINE.matcher(raw.strip());
      if (!m.matches()) {
        throw new HostOutputException(COMMAND_LINE, expected, raw);
      }
      boolean current = m.group(2).equals("on");
      boolean pending = m.group(3) == null ? current : m.group(3).equals("on");
      values.put(m.group(1), new SelinuxBooleans.Value(current, pending));
    }
    return new SelinuxBooleans(true, values);
  }
}
