package dev.refit.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * OSUpdatePolicy manifests as JSON trees, as people write them: every field of the spec, each
 * optional part sometimes left out, values mostly within the rules with their limits drawn often
 * (0, the largest integers, full lists, strings at their maximum length, unicode where text is
 * free), and now and then a value just past a limit, which admission must reject.
 */
final class PolicyManifests {

  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private PolicyManifests() {}

  /** A whole manifest: apiVersion, kind, metadata and spec. */
  static Arbitrary<ObjectNode> policies() {
    Arbitrary<JsonNode> metadata =
        object(
            Map.of(
                "name", text(Values.frequently(Arbitraries.of("workers", "w"), Values.dnsName())),
                "generation", optional(number(Values.longs(1, Long.MAX_VALUE)))));
    return Combinators.combine(metadata, spec())
        .as(
            (meta, spec) -> {
              ObjectNode policy = JSON.objectNode();
              policy.put("apiVersion", "refit.dev/v1alpha1");
              policy.put("kind", "OSUpdatePolicy");
              policy.set("metadata", meta);
              policy.set("spec", spec);
              return policy;
            });
  }

  static Arbitrary<JsonNode> spec() {
    Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
    fields.put("nodeSelector", rarelyMissing(Selectors.selector()));
    fields.put("os", rarelyMissing(os()));
    fields.put("selinux", optional(Selinux.policy()));
    fields.put("maxUnavailable", optional(Values.intOrPercent()));
    fields.put("schedule", optional(Schedules.schedule()));
    fields.put("rollout", optional(rollout()));
    fields.put("drain", optional(drain()));
    fields.put("healthCheck", optional(healthCheck()));
    fields.put("failurePolicy", optional(failurePolicy()));
    fields.put("gates", optional(gates()));
    return object(fields);
  }

  static Arbitrary<JsonNode> os() {
    Arbitrary<String> family =
        Arbitraries.of(
            "FedoraCoreOS", "RHCOS", "CentOSStreamCoreOS", "Bootc", "Bottlerocket", "Flatcar");
    return Combinators.combine(family.injectNull(0.4), Values.dice(99))
        .flatAs(
            (fam, dice) -> {
              // mostly the target the family takes; sometimes the other, or both, or neither
              boolean byImage =
                  fam == null
                      ? dice % 2 == 0
                      : fam.equals("Bootc")
                          || (!fam.equals("Bottlerocket")
                              && !fam.equals("Flatcar")
                              && dice % 2 == 0);
              if (dice == 99) {
                byImage = !byImage;
              }
              Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
              fields.put(
                  "family",
                  fam == null ? Arbitraries.just(null) : Arbitraries.just(JSON.textNode(fam)));
              Arbitrary<JsonNode> image = text(Values.image());
              Arbitrary<JsonNode> version = text(Values.version());
              fields.put("image", dice == 98 ? image : byImage ? image : Arbitraries.just(null));
              fields.put(
                  "version", dice == 98 ? version : byImage ? Arbitraries.just(null) : version);
              return object(fields);
            });
  }

  static Arbitrary<JsonNode> rollout() {
    // canaries by count (0), by selector (1), or both (2, rejected)
    Arbitrary<Integer> which =
        Arbitraries.frequency(Values.weight(100, 0), Values.weight(100, 1), Values.weight(1, 2));
    Arbitrary<JsonNode> canaryObject =
        which.flatMap(
            w -> {
              Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
              fields.put("count", w == 1 ? Arbitraries.just(null) : number(Values.ints(1, 1000)));
              fields.put("nodeSelector", w == 0 ? Arbitraries.just(null) : Selectors.selector());
              fields.put("soakSeconds", optional(number(Values.ints(0, 604800))));
              return object(fields);
            });
    Map<String, Arbitrary<JsonNode>> ordering = new LinkedHashMap<>();
    ordering.put("zoneByZone", optional(bool()));
    ordering.put("zoneLabel", optional(text(Values.labelKey())));
    ordering.put("controlPlaneLast", optional(bool()));
    Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
    fields.put("paused", optional(bool()));
    fields.put("canary", Values.rarely(canaryObject));
    fields.put("ordering", optional(object(ordering)));
    fields.put("soakSeconds", optional(number(Values.ints(0, 86400))));
    return object(fields);
  }

  static Arbitrary<JsonNode> drain() {
    Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
    fields.put("timeoutSeconds", optional(number(Values.ints(1, 86400))));
    fields.put("gracePeriodSeconds", optional(number(Values.ints(0, 86400))));
    fields.put("deleteEmptyDirData", optional(bool()));
    fields.put("onTimeout", optional(text(Values.oneOf("Halt", "Skip", "Force"))));
    fields.put("podSelector", optional(Selectors.selector()));
    fields.put("excludeFromLoadBalancers", optional(bool()));
    fields.put("loadBalancerWaitSeconds", optional(number(Values.ints(0, 3600))));
    return object(fields);
  }

  static Arbitrary<JsonNode> healthCheck() {
    Map<String, Arbitrary<JsonNode>> prometheus = new LinkedHashMap<>();
    prometheus.put("query", text(Values.freeText(1, 4096)));
    prometheus.put(
        "url",
        text(
            Values.frequently(
                Arbitraries.of(
                    "http://prometheus-operated.monitoring.svc:9090", "https://prom.example.com"),
                Values.fill("https://p.example.com/", 'q', 2048))));
    prometheus.put("timeoutSeconds", optional(number(Values.ints(1, 300))));
    Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
    fields.put("podSelector", optional(Selectors.selector()));
    fields.put("prometheus", Values.rarely(object(prometheus)));
    fields.put("readyTimeoutSeconds", optional(number(Values.ints(5, 86400))));
    fields.put("rebootTimeoutSeconds", optional(number(Values.ints(10, 86400))));
    return object(fields);
  }

  static Arbitrary<JsonNode> failurePolicy() {
    Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
    fields.put("maxFailedNodes", optional(Values.intOrPercent()));
    fields.put(
        "maxUnhealthy",
        optional(
            Values.frequently(
                Arbitraries.of(0L, 1L, 3L).map(JSON::numberNode),
                Arbitraries.of("0%", "40%", "100%").map(JSON::textNode))));
    fields.put(
        "autoRollback",
        optional(Values.frequently(Arbitraries.just(JSON.booleanNode(false)), bool())));
    return object(fields);
  }

  static Arbitrary<JsonNode> gates() {
    Map<String, Arbitrary<JsonNode>> fields = new LinkedHashMap<>();
    fields.put("beforeDrain", optional(strings(Values.labelKey(), 0, 8, true)));
    fields.put("afterReboot", optional(strings(Values.labelKey(), 0, 8, true)));
    fields.put("timeoutSeconds", optional(number(Values.ints(10, 604800))));
    fields.put("onTimeout", optional(text(Values.oneOf("Halt", "Skip"))));
    return object(fields);
  }

  // --- building blocks ----------------------------------------------------------------------

  /** An object of the given fields; a field whose value is null is left out. */
  static Arbitrary<JsonNode> object(Map<String, Arbitrary<JsonNode>> fields) {
    List<String> names = new ArrayList<>(fields.keySet());
    List<Arbitrary<JsonNode>> values = names.stream().map(fields::get).toList();
    return Combinators.combine(values)
        .as(
            generated -> {
              ObjectNode object = JSON.objectNode();
              for (int i = 0; i < names.size(); i++) {
                if (generated.get(i) != null) {
                  object.set(names.get(i), generated.get(i));
                }
              }
              return object;
            });
  }

  /** Left out in about a third of the cases. */
  static Arbitrary<JsonNode> optional(Arbitrary<JsonNode> value) {
    return value.injectNull(0.35);
  }

  /** A required part, missing in about one case in a hundred (admission must reject it). */
  static Arbitrary<JsonNode> rarelyMissing(Arbitrary<JsonNode> value) {
    return value.injectNull(0.01);
  }

  static Arbitrary<JsonNode> text(Arbitrary<String> value) {
    return value.map(JSON::textNode);
  }

  static Arbitrary<JsonNode> number(Arbitrary<Long> value) {
    return value.map(JSON::numberNode);
  }

  static Arbitrary<JsonNode> bool() {
    return Arbitraries.of(true, false).map(JSON::booleanNode);
  }

  /** A list of strings, usually short, sometimes at its limit; distinct when asked. */
  static Arbitrary<JsonNode> strings(Arbitrary<String> element, int min, int max, boolean unique) {
    Arbitrary<Integer> size = Values.size(min, max);
    return size.flatMap(
        n -> {
          var list = element.list().ofSize(n);
          return (unique ? list.uniqueElements() : list)
              .map(
                  values -> {
                    ArrayNode array = JSON.arrayNode();
                    values.forEach(array::add);
                    return (JsonNode) array;
                  });
        });
  }

  /** A list of objects, usually short, sometimes at (or just past) its limit. */
  static Arbitrary<JsonNode> objects(Arbitrary<JsonNode> element, int min, int max) {
    return Values.size(min, max)
        .flatMap(
            n ->
                element
                    .list()
                    .ofSize(n)
                    .map(
                        values -> {
                          ArrayNode array = JSON.arrayNode();
                          values.forEach(array::add);
                          return (JsonNode) array;
                        }));
  }
}
