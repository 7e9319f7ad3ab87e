package dev.refit.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CRD YAML committed under {@code crds/} is exactly what the Java model generates. Run with
 * {@code -Drefit.crds.update=true} to rewrite the committed files after changing the model; that
 * also rewrites the chart's copy in {@code helm/refit/crds/}, which the chart's tests compare with
 * these files.
 */
class CrdDriftTest {

  @Test
  void committedCrdsMatchTheJavaModel() throws IOException {
    Map<String, String> generated = CrdGeneration.generate();
    assertThat(generated).containsOnlyKeys("osupdatepolicies.refit.dev", "osnodes.refit.dev");
    boolean update = Boolean.getBoolean("refit.crds.update");
    for (Map.Entry<String, String> crd : generated.entrySet()) {
      Path file = CrdGeneration.committedFile(crd.getKey());
      if (update) {
        Files.writeString(file, crd.getValue(), StandardCharsets.UTF_8);
        Files.writeString(chartCopy(file), crd.getValue(), StandardCharsets.UTF_8);
      }
      assertThat(file).as("committed CRD %s", file).exists();
      assertThat(Files.readString(file, StandardCharsets.UTF_8))
          .as(
              "crds/%s differs from the Java model; regenerate it with"
                  + " ./mvnw -pl crds test -Dtest=CrdDriftTest -Drefit.crds.update=true",
              file)
          .isEqualTo(crd.getValue());
    }
  }

  /** The chart's copy of a committed CRD (the tests run in crds/). */
  static Path chartCopy(Path committed) {
    return Path.of("..", "helm", "refit", "crds").resolve(committed.getFileName());
  }
}
