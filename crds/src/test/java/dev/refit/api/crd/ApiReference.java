package dev.refit.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes docs/api.md from the committed CRDs: every field with its type, default, validation and
 * description, so the reference cannot drift from what the API server enforces.
 */
final class ApiReference {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ApiReference() {}

  /** The reference for the CRDs given as YAML texts, in order. */
  static String render(List<String> crdYamls) throws IOException {
    StringBuilder out = new StringBuilder();
    out.append("# API reference: refit.dev/v1alpha1\n\n")
        .append("<!-- Generated from the committed CRDs by ApiReferenceDriftTest. Do not edit;")
        .append(" change the model in crds/src/main/java/dev/refit/api and regenerate with")
        .append(
            " ./mvnw -pl crds test -Dtest=ApiReferenceDriftTest -Drefit.crds.update=true -->\n\n")
        .append(
            "Both resources are cluster-scoped. Every rule below is enforced when the object is")
        .append(" applied (`kubectl apply`), by the schema or by a CEL rule, and a rejected object")
        .append(" gets the message shown. What admission cannot judge (an unknown time zone, a")
        .append(" selector that matches no node, a node two policies claim) is reported in the")
        .append(" policy's conditions instead; see [design](design.md).\n\n")
        .append("`kubectl explain osupdatepolicy.spec.drain` prints the same descriptions.\n");
    for (String yaml : crdYamls) {
      JsonNode crd = YAML.readTree(yaml);
      String kind = crd.at("/spec/names/kind").asText();
      JsonNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
      out.append("\n## ").append(kind).append("\n\n");
      out.append("`kubectl get ")
          .append(crd.at("/spec/names/plural").asText())
          .append("` (short name `")
          .append(crd.at("/spec/names/shortNames/0").asText())
          .append("`) shows: ");
      List<String> columns = new ArrayList<>();
      crd.at("/spec/versions/0/additionalPrinterColumns")
          .forEach(c -> columns.add(c.path("name").asText()));
      out.append(String.join(", ", columns)).append(".\n");
      objectRules(out, kind, schema);
      for (String part : List.of("spec", "status")) {
        JsonNode section = schema.path("properties").path(part);
        out.append("\n### ").append(kind).append(".").append(part).append("\n\n");
        out.append(section.path("description").asText()).append("\n");
        objectRules(out, kind + "." + part, section);
        table(out, part, section);
      }
    }
    return out.toString();
  }

  private static void table(StringBuilder out, String path, JsonNode object) {
    if (!object.has("properties")) {
      return;
    }
    out.append("\n| Field | Type | Default | Validation | Description |\n")
        .append("|---|---|---|---|---|\n");
    List<String[]> nested = new ArrayList<>();
    Set<String> required = new LinkedHashSet<>();
    object.path("required").forEach(r -> required.add(r.asText()));
    object
        .path("properties")
        .fields()
        .forEachRemaining(
            p -> {
              String field = path + "." + p.getKey();
              JsonNode schema = p.getValue();
              out.append("| `")
                  .append(field)
                  .append("` | ")
                  .append(type(schema))
                  .append(" | ")
                  .append(schema.has("default") ? "`" + compact(schema.get("default")) + "`" : "")
                  .append(" | ")
                  .append(validation(schema, required.contains(p.getKey())))
                  .append(" | ")
                  .append(cell(schema.path("description").asText()))
                  .append(" |\n");
              JsonNode inner = schema.has("items") ? schema.get("items") : schema;
              if (inner.has("properties")) {
                nested.add(new String[] {field + (schema.has("items") ? "[]" : ""), field});
              }
            });
    for (String[] child : nested) {
      JsonNode schema = resolve(object, child[1].substring(path.length() + 1));
      JsonNode inner = schema.has("items") ? schema.get("items") : schema;
      out.append("\n#### ").append(child[0]).append("\n");
      objectRules(out, "`" + child[0] + "`", inner);
      table(out, child[0], inner);
    }
  }

  /**
   * The CEL rules set on a whole object (class-level rules, which relate its fields to each other),
   * with the message each answers. Rules on a field are in its row.
   */
  private static void objectRules(StringBuilder out, String what, JsonNode object) {
    JsonNode rules = object.path("x-kubernetes-validations");
    if (rules.isEmpty()) {
      return;
    }
    out.append("\nRules on ").append(what).append(" as a whole:\n\n");
    rules.forEach(
        r ->
            out.append("- *")
                .append(r.path("message").asText())
                .append("* (`")
                .append(r.path("rule").asText().replace("`", "'"))
                .append("`)\n"));
  }

  private static JsonNode resolve(JsonNode object, String name) {
    return object.path("properties").path(name);
  }

  private static String type(JsonNode schema) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
      return "integer or string";
    }
    String type = schema.path("type").asText();
    if ("array".equals(type)) {
      return "list of " + type(schema.path("items"));
    }
    if ("object".equals(type) && schema.path("additionalProperties").isObject()) {
      return "map of " + type(schema.get("additionalProperties"));
    }
    return type;
  }

  private static String validation(JsonNode schema, boolean required) {
    List<String> rules = new ArrayList<>();
    if (required) {
      rules.add("required");
    }
    if (schema.has("enum")) {
      List<String> values = new ArrayList<>();
      schema.get("enum").forEach(v -> values.add("`" + v.asText() + "`"));
      rules.add("one of " + String.join(", ", values));
    }
    range(rules, schema, "minimum", "maximum", "");
    range(rules, schema, "minLength", "maxLength", " characters");
    range(rules, schema, "minItems", "maxItems", " items");
    range(rules, schema, "minProperties", "maxProperties", " entries");
    if (schema.has("pattern")) {
      rules.add("matches `" + cell(schema.get("pattern").asText()) + "`");
    }
    schema
        .path("x-kubernetes-validations")
        .forEach(v -> rules.add("*" + cell(v.path("message").asText()) + "*"));
    schema
        .path("items")
        .path("x-kubernetes-validations")
        .forEach(v -> rules.add("each: *" + cell(v.path("message").asText()) + "*"));
    return String.join("; ", rules);
  }

  private static void range(
      List<String> rules, JsonNode schema, String min, String max, String unit) {
    boolean hasMin = schema.has(min);
    boolean hasMax = schema.has(max);
    if (hasMin && hasMax) {
      rules.add(number(schema.get(min)) + "–" + number(schema.get(max)) + unit);
    } else if (hasMin) {
      rules.add("at least " + number(schema.get(min)) + unit);
    } else if (hasMax) {
      rules.add("at most " + number(schema.get(max)) + unit);
    }
  }

  private static String number(JsonNode value) {
    return value.asDouble() == Math.rint(value.asDouble())
        ? Long.toString(value.asLong())
        : value.asText();
  }

  private static String compact(JsonNode value) {
    return value.isTextual() ? value.asText() : value.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
