package dev.refit.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Properties of the committed CRDs that users rely on: explain text, columns, scope. */
class CrdSchemaTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @ParameterizedTest(name = "every field of {0} has a description")
  @ValueSource(strings = {"osupdatepolicies.refit.dev.yaml", "osnodes.refit.dev.yaml"})
  void everyFieldHasADescriptionForKubectlExplain(String file) throws IOException {
    JsonNode schema = schema(file);
    List<String> undescribed = new ArrayList<>();
    collectUndescribed(schema, "", undescribed);
    assertThat(undescribed).isEmpty();
  }

  @Test
  void kubectlGetShowsTargetProgressConditionsAndWhatTheRolloutWaitsForInThatOrder()
      throws IOException {
    assertThat(columns("osupdatepolicies.refit.dev.yaml"))
        .containsExactly(
            "Target", "Updated", "Ready", "Progressing", "Degraded", "Age", "Waiting For");
    assertThat(columns("osnodes.refit.dev.yaml"))
        .containsExactly("Policy", "Current", "Desired", "State", "SELinux", "Age");
  }

  @Test
  void everyPrinterColumnHasATypeSoARealApiServerAcceptsTheCrd() throws IOException {
    for (String file : List.of("osupdatepolicies.refit.dev.yaml", "osnodes.refit.dev.yaml")) {
      crd(file)
          .at("/spec/versions/0/additionalPrinterColumns")
          .forEach(
              c ->
                  assertThat(c.path("type").asText())
                      .as(c.toString())
                      .isIn("string", "date", "integer"));
    }
  }

  @Test
  void bothResourcesAreClusterScopedWithAStatusSubresource() throws IOException {
    for (String file : List.of("osupdatepolicies.refit.dev.yaml", "osnodes.refit.dev.yaml")) {
      JsonNode crd = crd(file);
      assertThat(crd.at("/spec/scope").asText()).isEqualTo("Cluster");
      assertThat(crd.at("/spec/versions/0/subresources/status").isObject()).isTrue();
    }
  }

  private static void collectUndescribed(JsonNode schema, String path, List<String> out) {
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            p -> {
              String child = path + "." + p.getKey();
              if (p.getValue().path("description").asText().isBlank()) {
                out.add(child);
              }
              collectUndescribed(p.getValue(), child, out);
            });
    if (schema.has("items")) {
      collectUndescribed(schema.get("items"), path + "[]", out);
    }
    if (schema.path("additionalProperties").isObject()) {
      collectUndescribed(schema.get("additionalProperties"), path + "{}", out);
    }
  }

  private static List<String> columns(String file) throws IOException {
    List<String> names = new ArrayList<>();
    crd(file)
        .at("/spec/versions/0/additionalPrinterColumns")
        .forEach(c -> names.add(c.path("name").asText()));
    return names;
  }

  private static JsonNode schema(String file) throws IOException {
    return crd(file).at("/spec/versions/0/schema/openAPIV3Schema");
  }

  private static JsonNode crd(String file) throws IOException {
    return YAML.readTree(Path.of(file).toFile());
  }
}
