package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * SELinux as declared state, end to end: the real operator, the real agents over the fake hosts'
 * SELinux (which behaves as the tools do), the embedded API; every verdict from what was observed.
 */
class SelinuxSimulationIT {

  private static final Path SCENARIOS = Path.of("src", "test", "resources", "sim");
  private static final Path EXAMPLES = Path.of("..", "docs", "examples", "scenarios");

  private static Report run(Path scenario) throws Exception {
    return Simulations.run(Scenario.read(scenario));
  }

  @Test
  void modeBooleanAndModuleApplyLiveOnTenNodesAndADroppedModuleIsRemovedLive() throws Exception {
    Report report = run(SCENARIOS.resolve("selinux-live.yaml"));

    assertThat(report.completed()).as("settled, judged from what was observed").isTrue();
    assertThat(report.invariantViolations()).isEmpty();
    assertThat(report.nodes())
        .filteredOn(n -> n.name().startsWith("w-"))
        .hasSize(10)
        .allSatisfy(
            n -> {
              assertThat(n.boots()).as(n.name() + " boots").isZero();
              assertThat(n.transitions())
                  .as(n.name())
                  .noneMatch(t -> t.state().equals("Draining") || t.state().equals("Cordoned"));
              // once for the policy, once more when the module left it at 30 s
              assertThat(n.transitions())
                  .as(n.name())
                  .anyMatch(t -> t.state().equals("Applying") && t.atSeconds() < 30)
                  .anyMatch(t -> t.state().equals("Applying") && t.atSeconds() > 30);
              assertThat(n.state()).isEqualTo("UpToDate");
            });
    // Bottlerocket nodes cannot have the boolean: the policy says so, their OS update goes on
    Condition degraded = report.condition("bottlerocket", "Degraded");
    assertThat(degraded.getReason()).isEqualTo("SelinuxNotConfigurable");
    assertThat(degraded.getMessage())
        .startsWith("3 nodes (br-1, br-2, br-3) cannot have booleans httpd_can_network_connect");
    assertThat(report.nodes())
        .filteredOn(n -> n.name().startsWith("br-"))
        .hasSize(3)
        .allSatisfy(
            n -> {
              assertThat(n.updated()).isTrue();
              assertThat(n.boots()).isEqualTo(1);
            });
  }

  @Test
  void aModuleThatDoesNotCompileFailsItsNodeWithSemodulesMessageAndHaltsTheRollout()
      throws Exception {
    Report report = run(SCENARIOS.resolve("selinux-module-fails.yaml"));

    assertThat(report.completed()).isTrue();
    assertThat(report.invariantViolations()).isEmpty();
    assertThat(report.nodes()).filteredOn(n -> n.state().equals("Failed")).hasSize(1);
    // none has the declared module, so none is on the target, though each runs the target OS
    assertThat(report.nodes()).noneMatch(Report.NodeReport::updated);
    // the policy says which node failed and why, in semodule's own words
    assertThat(report.condition("workers", "Degraded").getMessage())
        .contains("(ApplyFailed)")
        .contains("semodule -X 400 -i /var/lib/refit/selinux/broken-app.cil")
        .contains("Failed to resolve");
    assertThat(report.nodes())
        .filteredOn(n -> !n.state().equals("Failed"))
        .hasSize(5)
        .allSatisfy(n -> assertThat(n.transitions()).noneMatch(t -> t.state().equals("Applying")));
    assertThat(report.condition("workers", "Progressing").getReason()).isEqualTo("Halted");
  }

  @Test
  void handMadeChangesAreSeenAsDriftAndPutBackLiveWithoutAFailure() throws Exception {
    Report report = run(EXAMPLES.resolve("selinux-drift.yaml"));

    assertThat(report.completed()).isTrue();
    assertThat(report.invariantViolations()).isEmpty();
    assertThat(report.nodes())
        .allSatisfy(
            n -> {
              assertThat(n.state()).isEqualTo("UpToDate");
              assertThat(n.boots()).as(n.name() + ": the OS update's boot only").isEqualTo(1);
            });
    assertThat(report.nodes())
        .filteredOn(n -> n.name().matches("w-[2-5]"))
        .hasSize(4)
        .allSatisfy(
            n ->
                assertThat(n.transitions())
                    .as(n.name())
                    .anyMatch(t -> t.state().equals("Applying") && t.atSeconds() >= 40));
    assertThat(report.condition("workers", "Degraded").getReason()).isEqualTo("NoProblems");
  }
}
