package dev.refit.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * values.schema.json rejects wrong types, values out of range and unknown keys, as Helm applies it
 * on install, upgrade and template: each file in {@code values/invalid} is refused, naming the
 * value its first line ({@code # rejected: <name>}) says.
 */
class ValuesSchemaTest {

  static final Path INVALID = Path.of("src", "test", "resources", "values", "invalid");

  static Stream<Path> invalidValues() throws IOException {
    try (Stream<Path> files = Files.list(INVALID)) {
      List<Path> list = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertThat(list).hasSizeGreaterThanOrEqualTo(10);
      return list.stream();
    }
  }

  @ParameterizedTest(name = "{0} is rejected")
  @MethodSource("invalidValues")
  void aBadValuesFileIsRejectedNamingTheValue(Path file) throws IOException {
    String firstLine = Files.readAllLines(file).get(0);
    assertThat(firstLine).startsWith("# rejected: ");
    String value = firstLine.substring("# rejected: ".length()).strip();

    assertThatThrownBy(() -> Chart.render(List.of(file.toAbsolutePath())))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(value);
  }

  @ParameterizedTest(name = "{0} is accepted")
  @MethodSource("validValues")
  void theShippedAndExampleValuesAreAccepted(Path file) {
    assertThat(Chart.render(List.of(file.toAbsolutePath())).objects()).isNotEmpty();
  }

  static Stream<Path> validValues() {
    return Stream.of(Chart.DIR.resolve("values.yaml"), Chart.testValues("all-switches-on.yaml"));
  }
}
