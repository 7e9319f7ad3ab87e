package dev.refit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.Iterator;
import java.util.TreeSet;

/**
 * Which top-level fields of an object a write touches: for a JSON patch the first segment of each
 * operation's path, for a merge patch its top-level keys, {@code *} for a create or a whole-object
 * update, nothing for reads. Lets a test tell a status write from a spec or metadata write. Within
 * {@code metadata} the field is named too ({@code metadata.finalizers}), so a test can tell a
 * finalizer from a label.
 */
final class WrittenFields {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String METADATA = "metadata";

  private WrittenFields() {}

  static String of(RecordedRequest request) {
    return switch (request.getMethod()) {
      case "POST", "PUT" -> "*";
      case "PATCH" -> patched(request);
      default -> "";
    };
  }

  private static String patched(RecordedRequest request) {
    JsonNode body;
    try {
      // getBytes() leaves the body for the handlers; getUtf8Body() would consume it.
      body = request.getBody() == null ? null : JSON.readTree(request.getBody().getBytes());
    } catch (IOException e) {
      return "?";
    }
    TreeSet<String> fields = new TreeSet<>();
    if (body != null && body.isArray()) {
      for (JsonNode operation : body) {
        String path = operation.path("path").asText("");
        String[] segments = path.split("/");
        String top = segments.length > 1 ? segments[1] : "*";
        fields.add(METADATA.equals(top) && segments.length > 2 ? top + "." + segments[2] : top);
      }
    } else if (body != null && body.isObject()) {
      for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        JsonNode value = body.get(name);
        if (METADATA.equals(name) && value.isObject() && value.size() > 0) {
          value.fieldNames().forEachRemaining(inner -> fields.add(name + "." + inner));
        } else if (!name.equals("apiVersion") && !name.equals("kind")) {
          fields.add(name);
        }
      }
    } else {
      fields.add("?");
    }
    return String.join(",", fields);
  }
}
