package dev.refit.updater;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the fixture directory honest: every file is documented and used by some test. */
class FixtureCoverageTest {

  private static final Path FIXTURES = Path.of("src/test/resources/host-outputs");
  private static final Path TESTS = Path.of("src/test/java");

  @Test
  void everyFixtureIsListedInSourcesMd() throws IOException {
    String sources = Files.readString(FIXTURES.resolve("SOURCES.md"));

    assertThat(fixtureNames()).isNotEmpty().allSatisfy(name -> assertThat(sources).contains(name));
  }

  @Test
  void everyFixtureIsReadBySomeTest() throws IOException {
    String allTests;
    try (Stream<Path> files = Files.walk(TESTS)) {
      allTests =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .map(FixtureCoverageTest::readQuietly)
              .collect(Collectors.joining("\n"));
    }

    assertThat(fixtureNames()).isNotEmpty().allSatisfy(name -> assertThat(allTests).contains(name));
  }

  private static List<String> fixtureNames() throws IOException {
    try (Stream<Path> files = Files.list(FIXTURES)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("SOURCES.md"))
          .sorted()
          .toList();
    }
  }

  private static String readQuietly(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
