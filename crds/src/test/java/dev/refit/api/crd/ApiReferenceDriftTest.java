package dev.refit.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/api.md is exactly what the CRDs generated from the model say. */
class ApiReferenceDriftTest {

  private static final Path DOC = Path.of("..", "docs", "api.md");

  @Test
  void apiReferenceMatchesTheCrds() throws IOException {
    Map<String, String> crds = CrdGeneration.generate();
    String rendered =
        ApiReference.render(
            List.of(crds.get("osupdatepolicies.refit.dev"), crds.get("osnodes.refit.dev")));
    if (Boolean.getBoolean("refit.crds.update")) {
      Files.writeString(DOC, rendered, StandardCharsets.UTF_8);
    }
    assertThat(DOC).exists();
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as(
            "docs/api.md differs from the CRDs; regenerate it with"
                + " ./mvnw -pl crds test -Dtest=ApiReferenceDriftTest -Drefit.crds.update=true")
        .isEqualTo(rendered);
  }
}
