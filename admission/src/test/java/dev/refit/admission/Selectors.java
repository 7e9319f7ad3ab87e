package dev.refit.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Label selectors as policies write them: matchLabels, matchExpressions with every operator, or
 * both; sometimes full (32 labels, 16 requirements, 64 values), rarely empty or with values an
 * operator does not take.
 */
final class Selectors {

  private Selectors() {}

  static Arbitrary<JsonNode> selector() {
    return Arbitraries.frequency(
            Tuple.of(120, "labels"),
            Tuple.of(40, "expressions"),
            Tuple.of(40, "both"),
            Tuple.of(1, "empty"))
        .flatMap(
            shape -> {
              Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
              boolean labels = shape.equals("labels") || shape.equals("both");
              boolean expressions = shape.equals("expressions") || shape.equals("both");
              fields.put("matchLabels", labels ? matchLabels() : Arbitraries.just(null));
              fields.put(
                  "matchExpressions",
                  expressions
                      ? PolicyManifests.objects(requirement(), 1, 16)
                      : shape.equals("empty")
                          ? Arbitraries.of(PolicyManifests.JSON.arrayNode(), null)
                          : Arbitraries.just(null));
              return PolicyManifests.object(fields);
            });
  }

  static Arbitrary<JsonNode> matchLabels() {
    return Values.size(1, 32)
        .flatMap(
            n ->
                Arbitraries.maps(Values.labelKey(), Values.labelValue())
                    .ofSize(n)
                    .map(
                        map -> {
                          ObjectNode object = PolicyManifests.JSON.objectNode();
                          map.forEach(object::put);
                          return (JsonNode) object;
                        }));
  }

  static Arbitrary<JsonNode> requirement() {
    Arbitrary<String> operator = Values.oneOf("In", "NotIn", "Exists", "DoesNotExist");
    return Combinators.combine(Values.labelKey(), operator, Values.dice(Values.ODDS))
        .flatAs(
            (key, op, dice) -> {
              boolean takesValues = op.equals("In") || op.equals("NotIn");
              // rarely a requirement gets values its operator does not take, or none
              boolean wrong = dice == 0;
              Arbitrary<JsonNode> values =
                  takesValues != wrong
                      ? PolicyManifests.strings(Values.labelValue(), 1, 64, false)
                      : Arbitraries.of(PolicyManifests.JSON.arrayNode(), null);
              return values.map(
                  v -> {
                    ObjectNode requirement = PolicyManifests.JSON.objectNode();
                    requirement.put("key", key);
                    requirement.put("operator", op);
                    if (v != null) {
                      requirement.set("values", v);
                    }
                    return (JsonNode) requirement;
                  });
            });
  }

  /** A copy of the value's array, or an empty one. */
  static ArrayNode array(JsonNode value) {
    return value instanceof ArrayNode array ? array.deepCopy() : PolicyManifests.JSON.arrayNode();
  }
}
