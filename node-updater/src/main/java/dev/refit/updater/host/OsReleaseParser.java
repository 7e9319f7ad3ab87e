package dev.refit.updater.host;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses {@code /etc/os-release} by the rules of os-release(5): {@code KEY=value} lines, values
 * optionally in double quotes (with shell backslash escapes for {@code \" \\ \$ \`}) or single
 * quotes (no escapes), {@code #} comments and blank lines ignored, no concatenation of quoted
 * parts. A line that breaks these rules is an error rather than a guess: a shell reading the same
 * file would not agree with any guess either.
 */
public final class OsReleaseParser {

  /** The file, read with {@code cat} through the host runner so nsenter/chroot applies. */
  public static final List<String> COMMAND = List.of("cat", "/etc/os-release");

  private static final String SOURCE = "/etc/os-release";
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern UNQUOTED_FORBIDDEN = Pattern.compile("[\\s\"'`$;&|<>()]");

  private OsReleaseParser() {}

  /** Parses the file's content. */
  public static OsRelease parse(String content) throws HostOutputException {
    if (content == null || content.isBlank()) {
      throw new HostOutputException(SOURCE, "KEY=value lines such as ID=fedora", content);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String raw : content.split("\n", -1)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0 || !KEY.matcher(line.substring(0, eq)).matches()) {
        throw new HostOutputException(SOURCE, "a KEY=value assignment", raw);
      }
      fields.put(line.substring(0, eq), value(line.substring(eq + 1), raw));
    }
    if (fields.isEmpty()) {
      throw new HostOutputException(SOURCE, "at least one KEY=value line", content);
    }
    return new OsRelease(fields);
  }

  private static String value(String text, String line) throws HostOutputException {
    if (text.isEmpty()) {
      return "";
    }
    char first = text.charAt(0);
    if (first == '\'') {
      int end = text.indexOf('\'', 1);
      requireClosedAtEnd(end, text, line);
      return text.substring(1, end);
    }
    if (first == '"') {
      StringBuilder out = new StringBuilder();
      for (int i = 1; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\\' && i + 1 < text.length() && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
          out.append(text.charAt(++i));
        } else if (c == '"') {
          requireClosedAtEnd(i, text, line);
          return out.toString();
        } else {
          out.append(c);
        }
      }
      throw new HostOutputException(SOURCE, "a closing double quote", line);
    }
    if (UNQUOTED_FORBIDDEN.matcher(text).find()) {
      throw new HostOutputException(
          SOURCE, "a value in quotes when it contains spaces or shell characters", line);
    }
    return text;
  }

  private static void requireClosedAtEnd(int end, String text, String line)
      throws HostOutputException {
    if (end < 0) {
      throw new HostOutputException(SOURCE, "a closing quote", line);
    }
    if (end != text.length() - 1) {
      throw new HostOutputException(
          SOURCE, "nothing after the closing quote (concatenation is not supported)", line);
    }
  }
}
