package dev.refit.updater.selinux;

import dev.refit.updater.host.HostOutputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code sestatus} and {@code sestatus -b}: a header of {@code Key:<padding>value} lines,
 * then, with {@code -b}, a {@code Policy booleans:} section of {@code name<padding>on|off}. Other
 * sections ({@code -v} adds "Process contexts:" and "File contexts:") are skipped. Keys this code
 * does not know are kept in {@link SestatusReport#fields()} and otherwise ignored.
 */
public final class SestatusParser {

  /** Status with the booleans section. */
  public static final List<String> COMMAND = List.of("sestatus", "-b");

  private static final String COMMAND_LINE = "sestatus";
  private static final String BOOLEANS = "Policy booleans";
  private static final Pattern HEADER = Pattern.compile("^([^:]+):\\s*$");
  private static final Pattern FIELD = Pattern.compile("^([^:]+):\\s+(\\S.*)$");
  private static final Pattern BOOLEAN = Pattern.compile("^(\\S+)\\s+(on|off)$");

  private SestatusParser() {}

  /** Parses the command's standard output. */
  public static SestatusReport parse(String stdout) throws HostOutputException {
    String expected = "\"SELinux status:\" followed by Key: value lines";
    if (stdout == null || stdout.isBlank()) {
      throw new HostOutputException(COMMAND_LINE, expected, stdout);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    Map<String, Boolean> booleans = new LinkedHashMap<>();
    String section = null;
    for (String raw : stdout.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        section = null;
        continue;
      }
      Matcher header = HEADER.matcher(line);
      Matcher field = FIELD.matcher(line);
      if (header.matches()) {
        section = header.group(1).strip();
      } else if (BOOLEANS.equals(section)) {
        Matcher b = BOOLEAN.matcher(line);
        if (!b.matches()) {
          throw new HostOutputException(COMMAND_LINE, "boolean lines \"name on|off\"", raw);
        }
        booleans.put(b.group(1), b.group(2).equals("on"));
      } else if (section == null && field.matches()) {
        fields.put(field.group(1).strip(), field.group(2).strip());
      } else if (section == null) {
        throw new HostOutputException(COMMAND_LINE, expected, raw);
      }
    }
    return report(fields, booleans, stdout);
  }

  private static SestatusReport report(
      Map<String, String> fields, Map<String, Boolean> booleans, String stdout)
      throws HostOutputException {
    String status = fields.get("SELinux status");
    if (status == null || !(status.equals("enabled") || status.equals("disabled"))) {
      throw new HostOutputException(
          COMMAND_LINE, "\"SELinux status:\" enabled or disabled", stdout);
    }
    HostSelinuxMode current = HostSelinuxMode.DISABLED;
    if (status.equals("enabled")) {
      current =
          mode(fields, "Current mode")
              .orElseThrow(
                  () ->
                      new HostOutputException(
                          COMMAND_LINE, "\"Current mode:\" on an enabled host", stdout));
    }
    return new SestatusReport(
        current,
        mode(fields, "Mode from config file"),
        Optional.ofNullable(fields.get("Loaded policy name")),
        Optional.ofNullable(fields.get("Policy MLS status")).map("enabled"::equals),
        Optional.ofNullable(fields.get("Policy deny_unknown status")),
        version(fields.get("Max kernel policy version")),
        fields,
        booleans);
  }

  private static Optional<HostSelinuxMode> mode(Map<String, String> fields, String key)
      throws HostOutputException {
    String text = fields.get(key);
    if (text == null) {
      return Optional.empty();
    }
    return Optional.of(
        HostSelinuxMode.fromText(text)
            .orElseThrow(
                () ->
                    new HostOutputException(
                        COMMAND_LINE,
                        "\"" + key + ":\" enforcing, permissive or disabled",
                        key + ": " + text)));
  }

  private static OptionalInt version(String text) throws HostOutputException {
    if (text == null) {
      return OptionalInt.empty();
    }
    if (!text.matches("\\d{1,4}")) {
      throw new HostOutputException(COMMAND_LINE, "\"Max kernel policy version:\" a number", text);
    }
    return OptionalInt.of(Integer.parseInt(text));
  }
}
