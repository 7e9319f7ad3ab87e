package dev.refit.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.refit.api.Patterns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Kubernetes API server does to a custom resource at {@code kubectl apply}, done offline
 * from a CRD file: apply the schema's defaults, validate against the structural schema (with strict
 * field validation, as kubectl does by default), then evaluate every {@code
 * x-kubernetes-validations} CEL rule with a real CEL implementation.
 */
public final class AdmissionValidator {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String group;
  private final String kind;
  private final JsonNode openApiSchema;
  private final Schema jsonSchema;
  private final CelRules rules = new CelRules();

  private AdmissionValidator(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    this.group = spec.path("group").asText();
    this.kind = spec.path("names").path("kind").asText();
    this.openApiSchema = spec.path("versions").path(0).path("schema").path("openAPIV3Schema");
    String translated = JSON.valueToTree(toJsonSchema(openApiSchema, true)).toString();
    this.jsonSchema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(translated, InputFormat.JSON);
    compileRules(openApiSchema);
  }

  /** A validator for the CRD in the given YAML file. Every CEL rule in it is compiled now. */
  public static AdmissionValidator forCrd(Path crdFile) {
    try {
      return forCrdYaml(Files.readString(crdFile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A validator for the CRD in the given YAML text. Every CEL rule in it is compiled now. */
  public static AdmissionValidator forCrdYaml(String crdYaml) {
    return new AdmissionValidator(parse(crdYaml));
  }

  public String kind() {
    return kind;
  }

  /** Number of CEL rules the CRD holds (all compiled). */
  public int ruleCount() {
    return rules.size();
  }

  /**
   * The errors the API server would answer for one manifest, each as {@code path: message}. Empty
   * means the manifest is admitted.
   */
  public List<String> validate(JsonNode manifest) {
    List<String> errors = new ArrayList<>();
    String apiVersion = manifest.path("apiVersion").asText();
    if (!apiVersion.startsWith(group + "/") || !kind.equals(manifest.path("kind").asText())) {
      errors.add("manifest is a " + apiVersion + " " + manifest.path("kind").asText());
      return errors;
    }
    ObjectNode object = manifest.deepCopy();
    applyDefaults(openApiSchema, object);
    jsonSchema
        .validate(object.toString(), InputFormat.JSON)
        .forEach(
            e ->
                errors.add(
                    fromPointer(e.getInstanceLocation().toString()) + ": " + e.getMessage()));
    evaluateRules(openApiSchema, object, "", errors);
    return errors;
  }

  /** The manifest as the API server stores it: with the schema's defaults filled in. */
  public JsonNode defaulted(JsonNode manifest) {
    ObjectNode object = manifest.deepCopy();
    applyDefaults(openApiSchema, object);
    return object;
  }

  // --- defaulting -------------------------------------------------------------------------

  private static void applyDefaults(JsonNode schema, JsonNode value) {
    if (value instanceof ObjectNode object) {
      JsonNode properties = schema.path("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        if (!object.has(property.getKey()) && property.getValue().has("default")) {
          object.set(property.getKey(), property.getValue().get("default").deepCopy());
        }
        if (object.has(property.getKey())) {
          applyDefaults(property.getValue(), object.get(property.getKey()));
        }
      }
      JsonNode additional = schema.path("additionalProperties");
      if (additional.isObject()) {
        object.forEach(child -> applyDefaults(additional, child));
      }
    } else if (value instanceof ArrayNode array && schema.has("items")) {
      array.forEach(element -> applyDefaults(schema.get("items"), element));
    }
  }

  // --- structural schema -> JSON Schema 2020-12 --------------------------------------------

  private static Map<String, Object> toJsonSchema(JsonNode openApi, boolean root) {
    Map<String, Object> out = new LinkedHashMap<>();
    openApi
        .fields()
        .forEachRemaining(
            field -> {
              String key = field.getKey();
              JsonNode value = field.getValue();
              switch (key) {
                case "properties" -> {
                  Map<String, Object> properties = new LinkedHashMap<>();
                  value
                      .fields()
                      .forEachRemaining(
                          p -> properties.put(p.getKey(), toJsonSchema(p.getValue(), false)));
                  out.put(key, properties);
                }
                case "items" -> out.put(key, toJsonSchema(value, false));
                case "additionalProperties" ->
                    out.put(key, value.isObject() ? toJsonSchema(value, false) : value.asBoolean());
                case "nullable", "description", "default" -> {}
                default -> {
                  if (!key.startsWith("x-kubernetes-")) {
                    out.put(key, JSON.convertValue(value, Object.class));
                  }
                }
              }
            });
    if (openApi.path("x-kubernetes-int-or-string").asBoolean()) {
      out.put("type", List.of("integer", "string"));
    }
    if (openApi.path("nullable").asBoolean() && out.get("type") instanceof String type) {
      out.put("type", List.of(type, "null"));
    }
    boolean preserve = openApi.path("x-kubernetes-preserve-unknown-fields").asBoolean();
    if ("object".equals(out.get("type")) && !preserve && !out.containsKey("additionalProperties")) {
      out.put("additionalProperties", false); // kubectl's strict field validation
    }
    if (root) {
      @SuppressWarnings("unchecked")
      Map<String, Object> properties =
          (Map<String, Object>) out.computeIfAbsent("properties", k -> new LinkedHashMap<>());
      properties.put("apiVersion", Map.of("type", "string"));
      properties.put("kind", Map.of("type", "string"));
      properties.put(
          "metadata",
          Map.of(
              "type",
              "object",
              "required",
              List.of("name"),
              "properties",
              Map.of(
                  "name",
                  Map.of(
                      "type",
                      "string",
                      "maxLength",
                      253,
                      "pattern",
                      "^" + Patterns.DNS_SUBDOMAIN + "$"))));
      List<Object> required = new ArrayList<>(List.of("apiVersion", "kind", "metadata"));
      openApi.path("required").forEach(r -> required.add(r.asText())); // spec, for a policy
      out.put("required", required);
      out.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    }
    return out;
  }

  // --- CEL ----------------------------------------------------------------------------------

  private void compileRules(JsonNode schema) {
    schema.path("x-kubernetes-validations").forEach(v -> rules.compile(v.path("rule").asText()));
    schema.path("properties").forEach(this::compileRules);
    if (schema.has("items")) {
      compileRules(schema.get("items"));
    }
    if (schema.path("additionalProperties").isObject()) {
      compileRules(schema.get("additionalProperties"));
    }
  }

  private void evaluateRules(JsonNode schema, JsonNode value, String path, List<String> errors) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    for (JsonNode validation : schema.path("x-kubernetes-validations")) {
      String rule = validation.path("rule").asText();
      String message =
          validation.has("message") ? validation.get("message").asText() : "failed rule: " + rule;
      rules
          .evaluate(rule, toCel(value))
          .ifPresent(failure -> errors.add(display(path) + ": " + failure.describe(message)));
    }
    if (value.isObject()) {
      schema
          .path("properties")
          .fields()
          .forEachRemaining(
              p ->
                  evaluateRules(
                      p.getValue(), value.get(p.getKey()), path + "." + p.getKey(), errors));
      JsonNode additional = schema.path("additionalProperties");
      if (additional.isObject()) {
        value
            .fields()
            .forEachRemaining(
                e ->
                    evaluateRules(additional, e.getValue(), path + "[" + e.getKey() + "]", errors));
      }
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        evaluateRules(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
      }
    }
  }

  /** A JSON pointer (/spec/windows/0/days) in the API server's notation (spec.windows[0].days). */
  private static String fromPointer(String pointer) {
    StringBuilder path = new StringBuilder();
    for (String segment : pointer.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      path.append(segment.matches("[0-9]+") ? "[" + segment + "]" : "." + segment);
    }
    return display(path.toString());
  }

  private static String display(String path) {
    return path.isEmpty() ? "<root>" : path.substring(1);
  }

  /** JSON to the values CEL sees: objects as maps, integers as Long. */
  static Object toCel(JsonNode value) {
    if (value.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      value.fields().forEachRemaining(e -> map.put(e.getKey(), toCel(e.getValue())));
      return map;
    }
    if (value.isArray()) {
      List<Object> list = new ArrayList<>();
      value.forEach(element -> list.add(toCel(element)));
      return list;
    }
    if (value.isIntegralNumber()) {
      return value.asLong();
    }
    if (value.isNumber()) {
      return value.asDouble();
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    return value.asText();
  }

  /** A manifest parsed from YAML text. */
  public static JsonNode parse(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
