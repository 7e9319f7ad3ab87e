package dev.refit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Finds the empty values a YAML file can hold where the simulator needs one: a list item with
 * nothing after its dash, or a label (or selector) key with nothing after its colon. YAML reads
 * both as null; the error names where it is.
 */
final class EmptyValues {

  /** Fields whose values are string maps: a key there needs a value, even an empty string. */
  private static final Set<String> STRING_MAPS =
      Set.of("labels", "annotations", "matchLabels", "nodeSelector");

  private EmptyValues() {}

  /** Throws for the first empty list item or string-map value in {@code root}. */
  static void reject(JsonNode root, String origin) throws ScenarioException {
    check(root, "", origin);
  }

  private static void check(JsonNode node, String path, String origin) throws ScenarioException {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String at = path + "[" + i + "]";
        if (node.get(i).isNull()) {
          throw new ScenarioException(origin + ": " + at + ": an empty list item");
        }
        check(node.get(i), at, origin);
      }
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      if (STRING_MAPS.contains(field.getKey()) && field.getValue().isObject()) {
        rejectEmptyValues(field.getValue(), at, origin);
      }
      check(field.getValue(), at, origin);
    }
  }

  private static void rejectEmptyValues(JsonNode map, String path, String origin)
      throws ScenarioException {
    Iterator<Map.Entry<String, JsonNode>> entries = map.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      if (entry.getValue().isNull()) {
        throw new ScenarioException(
            origin
                + ": "
                + path
                + "."
                + entry.getKey()
                + " has no value (write \"\" for an empty one)");
      }
    }
  }
}
