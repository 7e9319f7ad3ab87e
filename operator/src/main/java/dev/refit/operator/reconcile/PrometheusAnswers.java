package dev.refit.operator.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.operator.plan.HealthQuery.Verdict;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads an answer of Prometheus' instant-query API ({@code GET /api/v1/query}): {@code
 * {"status":"success","data":{"resultType":"vector","result":[...]}}} or {@code
 * {"status":"error","errorType":...,"error":...}}. Strict: anything else is a failed check that
 * says what came back, never a guess.
 */
final class PrometheusAnswers {

  /** How many series an answer names (the rest are counted). */
  static final int NAMED_SERIES = 3;

  /** How much of a body that is not Prometheus' JSON is quoted. */
  static final int QUOTED = 200;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What an answer means.
   *
   * @param verdict healthy, unhealthy, or no usable answer
   * @param detail the series or the error, for people
   */
  record Reading(Verdict verdict, String detail) {}

  private PrometheusAnswers() {}

  /** The meaning of one HTTP answer to an instant query. */
  static Reading read(int httpStatus, String body) {
    JsonNode answer;
    try {
      answer = body == null || body.isBlank() ? null : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      answer = null;
    }
    if (answer == null || !answer.isObject()) {
      return failed("HTTP " + httpStatus + ", not a Prometheus API answer: " + quote(body));
    }
    String status = answer.path("status").asText("");
    if ("error".equals(status)) {
      return failed(
          "HTTP "
              + httpStatus
              + ", "
              + answer.path("errorType").asText("error")
              + ": "
              + answer.path("error").asText("(no message)"));
    }
    if (!"success".equals(status) || httpStatus / 100 != 2) {
      return failed("HTTP " + httpStatus + " with status \"" + status + "\": " + quote(body));
    }
    JsonNode data = answer.path("data");
    String type = data.path("resultType").asText("");
    JsonNode result = data.path("result");
    if (!("vector".equals(type) || "matrix".equals(type)) || !result.isArray()) {
      return failed(
          "the query must return an instant vector, Prometheus answered with a result of type \""
              + type
              + "\"");
    }
    if (result.isEmpty()) {
      return new Reading(Verdict.CLEAR, "no series");
    }
    List<String> named = new ArrayList<>();
    for (int i = 0; i < Math.min(NAMED_SERIES, result.size()); i++) {
      named.add(labels(result.get(i).path("metric")));
    }
    int more = result.size() - named.size();
    return new Reading(
        Verdict.SERIES,
        result.size()
            + " series ("
            + String.join(", ", named)
            + (more > 0 ? " and " + more + " more" : "")
            + ")");
  }

  /** The meaning of a query that got no HTTP answer (a timeout, a refused connection). */
  static Reading noAnswer(String why) {
    return failed(why);
  }

  private static Reading failed(String detail) {
    return new Reading(Verdict.FAILED, detail);
  }

  /** A series' labels as Prometheus prints them: {@code name{label="value", ...}}. */
  private static String labels(JsonNode metric) {
    String name = metric.path("__name__").asText("");
    List<String> pairs = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = metric.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> label = it.next();
      if (!"__name__".equals(label.getKey())) {
        pairs.add(label.getKey() + "=\"" + label.getValue().asText() + "\"");
      }
    }
    String series = name + "{" + String.join(", ", pairs) + "}";
    return series.length() > QUOTED ? series.substring(0, QUOTED) + "…}" : series;
  }

  private static String quote(String body) {
    if (body == null || body.isBlank()) {
      return "(empty body)";
    }
    String flat = body.strip().replaceAll("\\s+", " ");
    return flat.length() > QUOTED ? flat.substring(0, QUOTED) + "…" : flat;
  }
}
