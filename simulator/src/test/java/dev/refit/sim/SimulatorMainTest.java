package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulatorMainTest {

  @TempDir Path dir;

  /** The exit status and what went to standard error. */
  record Run(int status, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int status = SimulatorMain.execute(System.out, args);
      return new Run(status, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(stderr);
    }
  }

  @Test
  void helpNamesEveryOptionAndExitsZero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(SimulatorMain.execute(System.out, "--help")).isZero();
    } finally {
      System.setOut(stdout);
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--nodes", "--scenario", "--fleet-snapshot", "--report", "--benchmark");
  }

  @ParameterizedTest(name = "a {1} that does not exist is a usage error that says so")
  @CsvSource({"--scenario, scenario", "--fleet-snapshot, fleet snapshot"})
  void aFileThatDoesNotExistIsAUsageErrorThatSaysSo(String option, String what) {
    Run run = run(option, "no/such/file.yaml");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .contains("refit-simulator: " + what + " file no/such/file.yaml does not exist");
  }

  @Test
  void aDirectoryGivenAsTheScenarioIsAUsageErrorThatSaysSo() {
    Run run = run("--scenario", dir.toString());
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("scenario " + dir + " is a directory, not a file");
  }

  @Test
  void aMistypedFieldIsAUsageErrorThatNamesItAndTheFieldsAllowed() throws IOException {
    Path scenario = dir.resolve("typo.yaml");
    Files.writeString(scenario, "nodes:\n  - {count: 3, prefx: w-}\n");
    Run run = run("--scenario", scenario.toString());
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .contains("unknown field \"prefx\" in nodes[0]")
        .contains("the fields allowed there:")
        .contains("prefix");
  }

  @Test
  void aPolicyTheApiServerWouldRejectEndsTheRunBeforeTheOperatorStarts() throws IOException {
    Path scenario = dir.resolve("zero.yaml");
    Files.writeString(
        scenario, ScenarioTest.POLICY.replace("MAX", "\"0%\"").replace("workers", "careful"));
    long started = System.nanoTime();
    // an operator that does not exist: the run must end before it is looked for
    Run run = run("--scenario", scenario.toString(), "--operator-jar", "no/such/quarkus-run.jar");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .contains("policies[0] (\"careful\") would be rejected by the API server")
        .contains("spec.maxUnavailable: maxUnavailable must be")
        .doesNotContain("quarkus-run.jar");
    assertThat(System.nanoTime() - started).isLessThan(20_000_000_000L);
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertThat(SimulatorMain.execute(System.out, "--nodez", "3")).isEqualTo(2);
  }
}
