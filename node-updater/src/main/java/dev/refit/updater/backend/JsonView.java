package dev.refit.updater.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.updater.host.HostOutputException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A JSON (or YAML) node that remembers which command printed it and where in the document it sits,
 * so every type mismatch becomes a {@link HostOutputException} naming the command, the path (e.g.
 * {@code deployments[1].checksum}) and the offending value. Unknown fields are simply never asked
 * for, which is how extra fields are tolerated.
 */
public record JsonView(String command, String path, JsonNode node) {

  /** Reads a whole document; syntax errors (including truncation) become a clear error. */
  public static JsonView read(ObjectMapper mapper, String command, String text, String expected)
      throws HostOutputException {
    if (text == null || text.isBlank()) {
      throw new HostOutputException(command, expected, text);
    }
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
      throw new HostOutputException(command, expected + ", well-formed" + where, text, e);
    } catch (RuntimeException e) {
      // The YAML backend can surface its own exceptions; they mean the same: unreadable output.
      throw new HostOutputException(command, expected + ", well-formed", text, e);
    }
    if (root == null || !root.isObject()) {
      throw new HostOutputException(command, expected, text);
    }
    return new JsonView(command, "", root);
  }

  /** Whether the field is missing or JSON null. */
  public boolean isAbsent(String name) {
    JsonNode child = node.get(name);
    return child == null || child.isNull();
  }

  /** The field as an object, or empty if missing or null. */
  public Optional<JsonView> optionalObject(String name) throws HostOutputException {
    if (isAbsent(name)) {
      return Optional.empty();
    }
    JsonView child = child(name);
    if (!child.node.isObject()) {
      throw child.mismatch("an object");
    }
    return Optional.of(child);
  }

  /** The field as an object; missing or null is an error. */
  public JsonView requireObject(String name) throws HostOutputException {
    return optionalObject(name).orElseThrow(() -> missing(name, "an object"));
  }

  /** The field as a string, or empty if missing or null. */
  public Optional<String> optionalText(String name) throws HostOutputException {
    if (isAbsent(name)) {
      return Optional.empty();
    }
    JsonView child = child(name);
    if (!child.node.isTextual()) {
      throw child.mismatch("a string");
    }
    return Optional.of(child.node.asText());
  }

  /** The field as a non-empty string; missing, null or empty is an error. */
  public String requireText(String name) throws HostOutputException {
    Optional<String> text = optionalText(name);
    if (text.isEmpty() || text.get().isEmpty()) {
      throw missing(name, "a non-empty string");
    }
    return text.get();
  }

  /** The field as a boolean, or {@code fallback} if missing or null. */
  public boolean optionalBoolean(String name, boolean fallback) throws HostOutputException {
    if (isAbsent(name)) {
      return fallback;
    }
    JsonView child = child(name);
    if (!child.node.isBoolean()) {
      throw child.mismatch("true or false");
    }
    return child.node.booleanValue();
  }

  /** The field as a boolean; missing or null is an error. */
  public boolean requireBoolean(String name) throws HostOutputException {
    if (isAbsent(name)) {
      throw missing(name, "true or false");
    }
    return optionalBoolean(name, false);
  }

  /** The field as a whole number, or empty if missing or null. */
  public Optional<Long> optionalLong(String name) throws HostOutputException {
    if (isAbsent(name)) {
      return Optional.empty();
    }
    JsonView child = child(name);
    if (!child.node.isIntegralNumber() || !child.node.canConvertToLong()) {
      throw child.mismatch("a whole number");
    }
    return Optional.of(child.node.longValue());
  }

  /** The field as a whole number that fits an {@code int}, or empty if missing or null. */
  public Optional<Integer> optionalInt(String name) throws HostOutputException {
    if (isAbsent(name)) {
      return Optional.empty();
    }
    JsonView child = child(name);
    if (!child.node.isIntegralNumber() || !child.node.canConvertToInt()) {
      throw child.mismatch("a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
    }
    return Optional.of(child.node.intValue());
  }

  /**
   * The field as a moment in seconds since 1970, or empty if missing or null. A number too large
   * for any date is an error, not an overflow.
   */
  public Optional<Instant> optionalEpochSeconds(String name) throws HostOutputException {
    Optional<Long> seconds = optionalLong(name);
    if (seconds.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.ofEpochSecond(seconds.get()));
    } catch (DateTimeException e) {
      throw child(name).mismatch("seconds since 1970 that make a date");
    }
  }

  /** The field as an array of elements; missing or null gives an empty list. */
  public List<JsonView> optionalArray(String name) throws HostOutputException {
    if (isAbsent(name)) {
      return List.of();
    }
    JsonView child = child(name);
    if (!child.node.isArray()) {
      throw child.mismatch("an array");
    }
    List<JsonView> items = new ArrayList<>();
    for (int i = 0; i < child.node.size(); i++) {
      items.add(new JsonView(command, child.path + "[" + i + "]", child.node.get(i)));
    }
    return items;
  }

  /** The field as an array of strings; missing or null gives an empty list. */
  public List<String> optionalTextArray(String name) throws HostOutputException {
    List<String> out = new ArrayList<>();
    for (JsonView item : optionalArray(name)) {
      if (!item.node.isTextual()) {
        throw item.mismatch("a string");
      }
      out.add(item.node.asText());
    }
    return out;
  }

  /** This node as an object (for array elements). */
  public JsonView asObject() throws HostOutputException {
    if (!node.isObject()) {
      throw mismatch("an object");
    }
    return this;
  }

  /** An error about this node, which does not have the expected shape. */
  public HostOutputException mismatch(String expected) {
    return new HostOutputException(command, expected + " at " + where(), node.toString());
  }

  /** An error about a required field that is missing here. */
  public HostOutputException missing(String name, String expected) {
    String at = path.isEmpty() ? name : path + "." + name;
    return new HostOutputException(command, expected + " at " + at, node.toString());
  }

  private JsonView child(String name) {
    return new JsonView(command, path.isEmpty() ? name : path + "." + name, node.get(name));
  }

  private String where() {
    return path.isEmpty() ? "the top level" : path;
  }
}
