package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.sim.Preflight.Finding;
import dev.refit.sim.Preflight.Kind;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PreflightTest {

  private static final Path SIM = Path.of("src", "test", "resources", "sim");

  static Stream<Arguments> budgets() {
    return Stream.of(
        Arguments.of("minAvailable 1 of 1", new IntOrString(1), null, 1, 0),
        Arguments.of("minAvailable 2 of 3", new IntOrString(2), null, 3, 1),
        Arguments.of("minAvailable 3 of 3", new IntOrString(3), null, 3, 0),
        Arguments.of("minAvailable 4 of 3", new IntOrString(4), null, 3, -1),
        Arguments.of("minAvailable 100% of 4", new IntOrString("100%"), null, 4, 0),
        Arguments.of("minAvailable 50% of 3 rounds up to 2", new IntOrString("50%"), null, 3, 1),
        Arguments.of("maxUnavailable 0", null, new IntOrString(0), 5, 0),
        Arguments.of("maxUnavailable 0%", null, new IntOrString("0%"), 5, 0),
        Arguments.of("maxUnavailable 1 of 2", null, new IntOrString(1), 2, 1),
        Arguments.of("maxUnavailable 10% of 3 rounds up to 1", null, new IntOrString("10%"), 3, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("budgets")
  void aBudgetAllowsAsManyEvictionsAsTheDisruptionControllerWould(
      String what, IntOrString min, IntOrString max, int pods, int allowed) {
    assertThat(Preflight.allowedDisruptions(min, max, pods)).isEqualTo(allowed);
  }

  private static List<Finding> blockingSnapshot() throws Exception {
    return Preflight.of(
        FleetSnapshot.read(SIM.resolve("snapshot-blocking.yaml"))
            .applyTo(Scenario.read(SIM.resolve("snapshot-blocking-policy.yaml")), false));
  }

  @Test
  void itCountsAndNamesTheNodesEachPolicySelects() throws Exception {
    assertThat(blockingSnapshot())
        .filteredOn(f -> f.kind() == Kind.SELECTED)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.subject()).isEqualTo("workers");
              assertThat(f.detail()).isEqualTo("3 nodes");
              assertThat(f.nodes()).containsExactly("w-1", "w-2", "w-3");
            });
  }

  @Test
  void aBudgetThatAllowsEvictionsIsNotReported() throws Exception {
    assertThat(blockingSnapshot())
        .filteredOn(f -> f.kind() == Kind.BLOCKING_BUDGET)
        .extracting(Finding::subject)
        .containsExactly("billing/solo");
  }

  @Test
  void podsItCannotSimulateOrPlaceAreListedWithWhy() throws Exception {
    assertThat(blockingSnapshot())
        .filteredOn(f -> f.kind() == Kind.NOT_SIMULATED)
        .extracting(Finding::subject, Finding::detail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "billing/report-28391040-x9k2q", "its controller is a Job, which is not simulated"),
            org.assertj.core.groups.Tuple.tuple(
                "default/debug-shell", "no controller: a drain evicts it and nothing replaces it"),
            org.assertj.core.groups.Tuple.tuple(
                "ml/gpu-worker-0",
                "cannot be placed, stays Pending: 0/4 nodes are available: 3 node(s) didn't match"
                    + " Pod's node affinity/selector, 1 node(s) had untolerated taint"
                    + " {node-role.kubernetes.io/control-plane: }."));
  }

  @Test
  void aScenarioWorkloadWithANeverYieldingBudgetIsNamedToo() {
    Scenario scenario =
        new Scenario(
            List.of(new Scenario.NodeGroup(3, "n-", null, null, null)),
            List.of(
                new Scenario.WorkloadSpec(
                    "db", "data", 2, null, new Scenario.Pdb(null, new IntOrString(0)), 1.0, 1.0)),
            null,
            null,
            List.of(),
            null);

    assertThat(Preflight.of(scenario))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.subject()).isEqualTo("data/db");
              assertThat(f.detail()).startsWith("maxUnavailable 0 with 2 pods");
            });
  }

  @Test
  void thePrinterBoundsTheNamesItLists() {
    List<String> nodes = IntStream.rangeClosed(1, 25).mapToObj(i -> "n-" + i).toList();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Preflight.print(
        new PrintStream(bytes, true, StandardCharsets.UTF_8),
        List.of(
            new Finding(Kind.SELECTED, "all", "25 nodes", nodes),
            new Finding(
                Kind.BLOCKING_BUDGET,
                "billing/solo",
                "minAvailable 1 with 1 pod",
                List.of("w-2"))));

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("policy all selects 25 nodes: n-1, n-2,")
        .contains("n-10 and 15 more")
        .doesNotContain("n-11")
        .contains("budgets that never allow an eviction: 1")
        .contains("billing/solo: minAvailable 1 with 1 pod; its pods run on w-2")
        .contains("pods not simulated: 0");
  }
}
