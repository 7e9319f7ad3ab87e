package dev.refit.updater.backend.bottlerocket;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.refit.updater.backend.JsonView;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.CommandStatus;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.CommandType;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.Image;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.Partition;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.RecentCommand;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.State;
import dev.refit.updater.host.HostOutputException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parses Bottlerocket's update status JSON, from {@code apiclient update check} (pretty-printed,
 * keys sorted) or {@code apiclient raw -u /updates/status} (compact, keys in API order). Key order
 * does not matter. apiclient logs ({@code 23:47:20 [INFO] Refreshing updates...}) go to stderr, but
 * when both streams are captured together those lines come first; they are skipped.
 */
public final class BottlerocketStatusParser {

  /** Refreshes the update list, then prints the status. */
  public static final List<String> CHECK_COMMAND = List.of("apiclient", "update", "check");

  /** Prints the status without refreshing (no network, no state change). */
  public static final List<String> STATUS_COMMAND =
      List.of("apiclient", "raw", "-u", "/updates/status");

  private static final String COMMAND_LINE = "apiclient update check";
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private BottlerocketStatusParser() {}

  /** Parses the status JSON, with any apiclient log lines before it. */
  public static BottlerocketUpdateStatus parse(String output) throws HostOutputException {
    String expected = "the update status JSON object with an update_state";
    JsonView root = JsonView.read(MAPPER, COMMAND_LINE, skipLogLines(output), expected);
    return new BottlerocketUpdateStatus(
        enumValue(root, "update_state", State.class),
        root.optionalTextArray("available_updates"),
        image(root.optionalObject("chosen_update")),
        partition(root.optionalObject("active_partition")),
        partition(root.optionalObject("staging_partition")),
        command(root.optionalObject("most_recent_command")));
  }

  /** Drops everything before the first line that opens the JSON object. */
  private static String skipLogLines(String output) {
    if (output == null) {
      return "";
    }
    if (output.stripLeading().startsWith("{")) {
      return output;
    }
    int brace = output.indexOf("\n{");
    return brace < 0 ? output : output.substring(brace + 1);
  }

  private static Optional<Image> image(Optional<JsonView> node) throws HostOutputException {
    if (node.isEmpty()) {
      return Optional.empty();
    }
    JsonView i = node.get();
    return Optional.of(
        new Image(i.requireText("arch"), i.requireText("version"), i.requireText("variant")));
  }

  private static Optional<Partition> partition(Optional<JsonView> node) throws HostOutputException {
    if (node.isEmpty()) {
      return Optional.empty();
    }
    JsonView p = node.get();
    Image image = image(Optional.of(p.requireObject("image"))).orElseThrow();
    return Optional.of(new Partition(image, p.requireBoolean("next_to_boot")));
  }

  private static Optional<RecentCommand> command(Optional<JsonView> node)
      throws HostOutputException {
    if (node.isEmpty()) {
      return Optional.empty();
    }
    JsonView c = node.get();
    Optional<Integer> exit = c.optionalInt("exit_status");
    return Optional.of(
        new RecentCommand(
            enumValue(c, "cmd_type", CommandType.class),
            enumValue(c, "cmd_status", CommandStatus.class),
            timestamp(c),
            exit.isPresent() ? OptionalInt.of(exit.get()) : OptionalInt.empty(),
            c.optionalText("stderr").orElse("")));
  }

  private static Instant timestamp(JsonView c) throws HostOutputException {
    String text = c.requireText("timestamp");
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new HostOutputException(
          COMMAND_LINE, "an RFC 3339 timestamp at " + c.path() + ".timestamp", text);
    }
  }

  /**
   * An enum field, matched ignoring case (the API prints states capitalised and commands in lower
   * case). A value this code does not know is an error, never a guess.
   */
  private static <E extends Enum<E>> E enumValue(JsonView node, String name, Class<E> type)
      throws HostOutputException {
    String text = node.requireText(name);
    for (E value : type.getEnumConstants()) {
      if (value.name().equalsIgnoreCase(text)) {
        return value;
      }
    }
    StringBuilder known = new StringBuilder();
    for (E value : type.getEnumConstants()) {
      known.append(known.length() == 0 ? "" : "|").append(value.name());
    }
    String at = node.path().isEmpty() ? name : node.path() + "." + name;
    throw new HostOutputException(COMMAND_LINE, at + " one of " + known, text);
  }
}
