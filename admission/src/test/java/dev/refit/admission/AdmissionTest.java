package dev.refit.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@code kubectl apply} answers for manifests, judged offline from the CRDs the API jar ships:
 * every example in docs/examples is admitted, and every manifest under admission/invalid is
 * rejected with the message its first line names.
 */
class AdmissionTest {

  private static final Path CRDS = Path.of("..", "crds");
  private static final Path EXAMPLES = Path.of("..", "docs", "examples");
  private static final Path INVALID = Path.of("src", "test", "resources", "admission", "invalid");
  private static final String EXPECTATION = "# rejected: ";

  private static Admission admission;

  @BeforeAll
  static void loadShippedCrds() {
    admission = Admission.ofShippedCrds();
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  static Stream<Arguments> invalidManifests() throws IOException {
    try (Stream<Path> files = Files.list(INVALID)) {
      List<Arguments> cases = new ArrayList<>();
      for (Path file : files.sorted().toList()) {
        String text = Files.readString(file);
        assertThat(text)
            .as("%s must start with '%s<path>: <message>'", file, EXPECTATION)
            .startsWith(EXPECTATION);
        String expected = text.substring(EXPECTATION.length(), text.indexOf('\n'));
        cases.add(Arguments.of(file.getFileName().toString(), expected, text));
      }
      return cases.stream();
    }
  }

  @Test
  void everyCelRuleInTheCrdsCompiles() {
    assertThat(admission.forKind("OSUpdatePolicy").ruleCount()).isGreaterThanOrEqualTo(20);
    assertThat(admission.forKind("OSNode").ruleCount()).isPositive();
  }

  @Test
  void thereAreEnoughExamplesAndInvalidManifestsToMeanSomething() throws IOException {
    assertThat(examples().count()).isGreaterThanOrEqualTo(5);
    assertThat(invalidManifests().count()).isGreaterThanOrEqualTo(65);
  }

  @ParameterizedTest(name = "{0} is admitted")
  @MethodSource("examples")
  void everyDocumentedExampleIsAdmitted(Path example) throws IOException {
    for (JsonNode manifest : manifests(Files.readString(example))) {
      AdmissionValidator validator = admission.forKind(manifest.path("kind").asText());
      if (validator != null) {
        assertThat(validator.validate(manifest)).as("errors for %s", example).isEmpty();
      }
    }
  }

  @ParameterizedTest(name = "{0} is rejected: {1}")
  @MethodSource("invalidManifests")
  void invalidManifestIsRejectedForTheRightReason(String file, String expected, String yaml) {
    JsonNode manifest = AdmissionValidator.parse(yaml);
    List<String> errors = admission.validate(manifest);
    assertThat(errors)
        .as("errors for %s", file)
        .anySatisfy(e -> assertThat(e).startsWith(expected));
  }

  @ParameterizedTest(name = "{0} is rejected without an evaluation error")
  @MethodSource("invalidManifests")
  void noRejectionIsACelEvaluationError(String file, String expected, String yaml) {
    // a rule that cannot evaluate input the field rules admitted shows the user a wrong message
    assertThat(admission.validate(AdmissionValidator.parse(yaml)))
        .as("errors for %s", file)
        .noneSatisfy(e -> assertThat(e).contains("evaluation error"));
  }

  @Test
  void theShippedCrdsAreTheCommittedOnes() throws IOException {
    for (String file : List.of("osupdatepolicies.refit.dev.yaml", "osnodes.refit.dev.yaml")) {
      try (var in = Admission.class.getResourceAsStream(Admission.CRD_RESOURCES + file)) {
        assertThat(in).as(file).isNotNull();
        assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
            .isEqualTo(Files.readString(CRDS.resolve(file)));
      }
    }
  }

  @Test
  void aManifestOfAnotherKindIsNotARefitResource() {
    assertThat(admission.validate(AdmissionValidator.parse("apiVersion: v1\nkind: Pod\n")))
        .containsExactly("kind: Pod is not a Refit resource");
  }

  private static List<JsonNode> manifests(String yaml) {
    List<JsonNode> result = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      JsonNode node = AdmissionValidator.parse(document);
      if (node != null && !node.isMissingNode() && !node.isNull()) {
        result.add(node);
      }
    }
    return result;
  }
}
