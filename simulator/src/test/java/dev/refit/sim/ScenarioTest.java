package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.admission.Admission;
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

  private static final Admission ADMISSION = Admission.ofShippedCrds();

  /** A scenario with one policy, "workers"; MAX stands for its maxUnavailable. */
  static final String POLICY =
      """
      nodes: [{count: 2, prefix: w-, labels: {pool: w}}]
      policies:
        - apiVersion: refit.dev/v1alpha1
          kind: OSUpdatePolicy
          metadata: {name: workers}
          spec:
            nodeSelector: {matchLabels: {pool: w}}
            os: {family: FedoraCoreOS, version: "41.20250101.3.0"}
            maxUnavailable: MAX
      """;

  private static Scenario read(String yaml) throws IOException {
    return Scenario.read(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "bad.yaml");
  }

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
  void aMistypedFieldInANodeGroupIsNamedWithItsPlaceAndTheFieldsAllowedThere() {
    String yaml = "nodes:\n  - {count: 2, prefx: w-}\n";
    assertThatThrownBy(() -> read(yaml))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("bad.yaml: unknown field \"prefx\" in nodes[0] (line 2")
        .hasMessageContaining("the fields allowed there:")
        .hasMessageContaining("prefix")
        .hasMessageContaining("count")
        .hasMessageNotContaining("Cannot construct instance");
  }

  @Test
  void aNodeGroupWithoutANameOrAPrefixSaysWhichGroup() {
    assertThatThrownBy(() -> read("nodes:\n  - {count: 1, prefix: a-}\n  - {count: 2}\n"))
        .isInstanceOf(ScenarioException.class)
        .hasMessage(
            "bad.yaml: nodes[1]: a node group needs a name, or a prefix and a count of 0 or more");
  }

  @Test
  void aValueOfTheWrongKindNamesTheFieldAndItsLine() {
    assertThatThrownBy(() -> read("nodes:\n  - {count: many, prefix: a-}\n"))
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith("bad.yaml: nodes[0].count: ")
        .hasMessageContaining("(line 2, column");
  }

  @Test
  void malformedYamlIsReportedWithItsLineAndColumn() {
    assertThatThrownBy(() -> read("nodes:\n  - {count: 2, prefix: a-\ntiming: {}\n"))
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith("bad.yaml: not valid YAML: ")
        .hasMessageContaining("(line 3, column 7)");
  }

  @Test
  void anEmptyFileIsSaidToBeEmpty() {
    assertThatThrownBy(() -> read("")).hasMessage("bad.yaml: the file is empty");
  }

  @Test
  void aPolicyTheApiServerWouldRejectIsNamedWithTheFieldAndTheRulesMessage() throws IOException {
    Scenario scenario = read(POLICY.replace("MAX", "\"0%\""));
    assertThatThrownBy(() -> scenario.admitted(ADMISSION, "bad.yaml"))
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith(
            "bad.yaml: policies[0] (\"workers\") would be rejected by the API server:")
        .hasMessageContaining("spec.maxUnavailable: maxUnavailable must be");
  }

  @Test
  void aMistypedFieldInAPolicyIsRejectedAsKubectlApplyRejectsIt() throws IOException {
    Scenario scenario = read(POLICY.replace("MAX", "1").replace("nodeSelector", "nodeSelectr"));
    assertThatThrownBy(() -> scenario.admitted(ADMISSION, "bad.yaml"))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("(\"workers\")")
        .hasMessageContaining("nodeSelectr");
  }

  @Test
  void anAdmittedPolicyCarriesTheSchemaDefaultsAsTheApiServerStoresIt() throws IOException {
    Scenario scenario = read(POLICY.replace("MAX", "1")).admitted(ADMISSION, "ok.yaml");
    assertThat(scenario.policies().get(0).path("spec").path("drain").isObject()).isTrue();
    assertThat(scenario.policyObjects().get(0).getSpec().getMaxUnavailable().getIntVal())
        .isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} is admitted")
  @MethodSource("documentedScenarios")
  void everyDocumentedScenariosPoliciesAreAdmitted(Path file) throws IOException {
    assertThat(Scenario.read(file).admitted(ADMISSION, file.toString()).policies()).isNotEmpty();
  }

  @Test
  void theDemosPolicyIsAdmitted() throws IOException {
    assertThat(Scenario.demo(20).admitted(ADMISSION, "the demo").policies()).hasSize(1);
  }

  @Test
  void theRehearsalPolicyForASnapshotWithoutAScenarioIsAdmitted() throws IOException {
    Scenario rehearsal =
        FleetSnapshot.read(Path.of("src", "test", "resources", "sim", "snapshot.yaml"))
            .applyTo(Scenario.demo(1), true);
    assertThat(rehearsal.admitted(ADMISSION, "the rehearsal policy").policies()).hasSize(1);
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

  @Test
  void anEmptyListItemIsNamedRatherThanANullPointerInTheScenario() {
    assertThatThrownBy(() -> read("nodes:\n  - {count: 2, prefix: w-}\n  -\n"))
        .isInstanceOf(ScenarioException.class)
        .hasMessage("bad.yaml: nodes[1]: an empty list item");
  }

  @Test
  void aLabelWithoutAValueIsNamedWithItsPlace() {
    assertThatThrownBy(() -> read("nodes:\n  - {count: 2, prefix: w-, labels: {pool: }}\n"))
        .isInstanceOf(ScenarioException.class)
        .hasMessage("bad.yaml: nodes[0].labels.pool has no value (write \"\" for an empty one)");
  }

  @Test
  void aNegativeCountOrDurationIsNamed() {
    assertThatThrownBy(() -> read("workloads:\n  - {name: web, replicas: -3}\n"))
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith("bad.yaml: workloads[0]: replicas")
        .hasMessageEndingWith("must be 0 or more");
    assertThatThrownBy(
            () -> read("timing: {stageSeconds: 1, rebootSeconds: -2, readySeconds: 1}\n"))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("rebootSeconds");
    assertThatThrownBy(() -> read("timeoutSeconds: 0\n"))
        .isInstanceOf(ScenarioException.class)
        .hasMessage("bad.yaml: timeoutSeconds must be 1 or more");
  }
}
