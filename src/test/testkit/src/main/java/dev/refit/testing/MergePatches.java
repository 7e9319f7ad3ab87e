package dev.refit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.Map;

/**
 * JSON merge patches as RFC 7386 defines them. The stock mock server merges with Jackson's updating
 * reader, which appends to arrays instead of replacing them: merge-patching {@code
 * status.conditions} duplicated every condition. Here the patch is applied to the stored object and
 * the result is handed to the stock PUT handler, which keeps its resourceVersion check, status
 * subresource and generation rules.
 */
final class MergePatches {

  private static final ObjectMapper JSON = new ObjectMapper();

  private MergePatches() {}

  static boolean isMergePatch(RecordedRequest request) {
    String contentType = request.getHeader("Content-Type");
    return contentType != null && contentType.contains("merge-patch+json");
  }

  /**
   * The PUT request equivalent to merge-patching {@code current} with the request's body, or null
   * when the body is no JSON.
   */
  static RecordedRequest asUpdate(RecordedRequest patch, String current) {
    try {
      JsonNode merged = merge(JSON.readTree(current), JSON.readTree(patch.getUtf8Body()));
      byte[] body = JSON.writeValueAsBytes(merged);
      return new RecordedRequest(
          patch.getHttpVersion(),
          HttpMethod.PUT,
          patch.getPath(),
          Headers.builder().add("Content-Type", "application/json").build(),
          new Buffer(body));
    } catch (IOException e) {
      return null;
    }
  }

  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }
}
