package dev.refit.updater.backend.flatcar;

import dev.refit.updater.backend.flatcar.UpdateEngineStatus.Operation;
import dev.refit.updater.host.HostOutputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code update_engine_client -status}: a block of {@code KEY=VALUE} lines on stdout,
 * possibly preceded and followed by glog lines ({@code I0620 17:44:57.179913 1611093
 * update_engine_client.cc:241] ...}, or {@code I20251016 ...} on newer releases) from stderr.
 *
 * <p>{@code -update} prints one block per status change; the last block is the current state, and
 * it must be complete. When D-Bus refuses the call, the tool still prints a block, with {@code
 * CURRENT_OP=(null)}: that is reported as an error quoting the D-Bus message, never as a state.
 */
public final class UpdateEngineStatusParser {

  /** Prints the current status once. */
  public static final List<String> COMMAND = List.of("update_engine_client", "-status");

  private static final String COMMAND_LINE = String.join(" ", COMMAND);
  private static final Pattern GLOG = Pattern.compile("^[IWEF]\\d{4}(\\d{4})? \\d{2}:\\d{2}:");
  private static final Pattern KEY_VALUE = Pattern.compile("^([A-Z][A-Z_]*)=(.*)$");
  private static final String FIRST_KEY = "LAST_CHECKED_TIME";
  private static final Set<String> KEYS =
      Set.of(FIRST_KEY, "PROGRESS", "CURRENT_OP", "NEW_VERSION", "NEW_SIZE");
  private static final Set<String> NO_VERSION = Set.of("0.0.0", "0.0.0.0", "");

  private UpdateEngineStatusParser() {}

  /** Parses the tool's output (stdout, or stdout and stderr together). */
  public static UpdateEngineStatus parse(String output) throws HostOutputException {
    String expected =
        "KEY=VALUE lines LAST_CHECKED_TIME, PROGRESS, CURRENT_OP, NEW_VERSION, NEW_SIZE";
    if (output == null || output.isBlank()) {
      throw new HostOutputException(COMMAND_LINE, expected, output);
    }
    List<Map<String, String>> blocks = new ArrayList<>();
    String glogError = null;
    for (String raw : output.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (GLOG.matcher(line).find()) {
        if (line.contains("Error getting status") || line.startsWith("E")) {
          glogError = line;
        }
        continue;
      }
      Matcher kv = KEY_VALUE.matcher(line);
      if (!kv.matches()) {
        throw new HostOutputException(COMMAND_LINE, expected + " or glog lines", raw);
      }
      if (kv.group(1).equals(FIRST_KEY) || blocks.isEmpty()) {
        blocks.add(new LinkedHashMap<>());
      }
      blocks.get(blocks.size() - 1).put(kv.group(1), kv.group(2).strip());
    }
    if (blocks.isEmpty()) {
      throw new HostOutputException(COMMAND_LINE, expected, output);
    }
    Map<String, String> last = blocks.get(blocks.size() - 1);
    if (!last.keySet().containsAll(KEYS)) {
      throw new HostOutputException(
          COMMAND_LINE, "a complete status block (the output looks truncated)", output);
    }
    return status(last, glogError, output);
  }

  private static UpdateEngineStatus status(
      Map<String, String> block, String glogError, String output) throws HostOutputException {
    String op = block.get("CURRENT_OP");
    if (op.equals("(null)")) {
      throw new HostOutputException(
          COMMAND_LINE,
          "a status from update_engine (it did not answer over D-Bus; run as root through the"
              + " host runner)",
          glogError != null ? glogError : output);
    }
    Operation operation;
    try {
      operation = Operation.valueOf(op);
    } catch (IllegalArgumentException e) {
      throw new HostOutputException(COMMAND_LINE, "CURRENT_OP one of UPDATE_STATUS_*", op);
    }
    long checked = number(block, "LAST_CHECKED_TIME");
    if (checked > Instant.MAX.getEpochSecond()) {
      throw new HostOutputException(
          COMMAND_LINE,
          "LAST_CHECKED_TIME as seconds since 1970 that make a date",
          "LAST_CHECKED_TIME=" + checked);
    }
    String version = block.get("NEW_VERSION");
    return new UpdateEngineStatus(
        operation,
        fraction(block.get("PROGRESS")),
        checked == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(checked)),
        NO_VERSION.contains(version) || version.equals("(null)")
            ? Optional.empty()
            : Optional.of(version),
        number(block, "NEW_SIZE"));
  }

  private static long number(Map<String, String> block, String key) throws HostOutputException {
    String text = block.get(key);
    try {
      long value = Long.parseLong(text);
      if (value < 0) {
        throw new NumberFormatException("negative");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new HostOutputException(COMMAND_LINE, key + " as a whole number", key + "=" + text);
    }
  }

  private static double fraction(String text) throws HostOutputException {
    try {
      double value = Double.parseDouble(text);
      if (value >= 0 && value <= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Falls through to the error below, which quotes the value.
    }
    throw new HostOutputException(COMMAND_LINE, "PROGRESS between 0 and 1", "PROGRESS=" + text);
  }
}
