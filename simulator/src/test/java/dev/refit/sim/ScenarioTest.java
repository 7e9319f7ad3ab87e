package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.OSFamily;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioTest {

  static Stream<Path> documentedScenarios() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("..", "docs", "examples", "scenarios"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0} reads")
  @MethodSource("documentedScenarios")
  void everyDocumentedScenarioReadsWithItsPolicies(Path file) throws IOException {
    Scenario scenario = Scenario.read(file);
    assertThat(scenario.policyObjects())
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.getSpec().getNodeSelector()).isNotNull());
  }

  @Test
  void theDemoHasTwentyFedoraCoreOsWorkersUnlessToldOtherwise() throws IOException {
    assertThat(Scenario.demo(20).nodes().get(0).names())
        .hasSize(20)
        .startsWith("worker-1")
        .endsWith("worker-20");
    assertThat(Scenario.demo(20).nodes().get(0).os().family()).isEqualTo(OSFamily.FedoraCoreOS);
    assertThat(Scenario.demo(100).nodes().get(0).names()).hasSize(100);
  }

  @Test
  void aMistypedFieldIsNamedWithItsLine() {
    String yaml = "nodes:\n  - {count: 2, prefix: w-}\ntimming: {stageSeconds: 1}\n";
    assertThatThrownBy(
            () ->
                Scenario.read(
                    new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "bad.yaml"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bad.yaml")
        .hasMessageContaining("unknown field \"timming\"")
        .hasMessageContaining("timing");
  }

  @Test
  void defaultsFillWhatAScenarioLeavesOut() throws IOException {
    Scenario scenario =
        Scenario.read(
            new ByteArrayInputStream(
                "nodes: [{count: 1, prefix: n-}]\n".getBytes(StandardCharsets.UTF_8)),
            "min.yaml");
    assertThat(scenario.timing()).isEqualTo(Scenario.Timing.DEFAULT);
    assertThat(scenario.timeoutSeconds()).isEqualTo(300);
    assertThat(scenario.faults()).isEmpty();
  }
}
