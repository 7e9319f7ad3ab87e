package dev.refit.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's crds/ holds exactly the CRDs committed at the top of the repository (which the model
 * generates): the same files, byte for byte. {@code ./mvnw -pl crds test -Dtest=CrdDriftTest
 * -Drefit.crds.update=true} rewrites both.
 */
class ChartCrdsTest {

  static final Path TOP = Chart.REPO.resolve("crds");
  static final Path CHART = Chart.DIR.resolve("crds");

  @Test
  void theChartHoldsTheSameCrdFilesAsTheRepository() throws IOException {
    assertThat(yamlFiles(CHART)).isEqualTo(yamlFiles(TOP)).isNotEmpty();
  }

  @Test
  void eachCrdInTheChartIsByteForByteTheCommittedOne() throws IOException {
    for (String name : yamlFiles(TOP)) {
      assertThat(Files.readAllBytes(CHART.resolve(name)))
          .as(
              "helm/refit/crds/%s differs from crds/%s; regenerate both with ./mvnw -pl crds test"
                  + " -Dtest=CrdDriftTest -Drefit.crds.update=true",
              name, name)
          .isEqualTo(Files.readAllBytes(TOP.resolve(name)));
    }
  }

  static List<String> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".yaml") || f.endsWith(".yml") || f.endsWith(".json"))
          .sorted()
          .toList();
    }
  }
}
