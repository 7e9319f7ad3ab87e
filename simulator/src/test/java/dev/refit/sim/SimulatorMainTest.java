package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {

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

  @Test
  void aScenarioThatDoesNotExistIsAUsageErrorThatSaysSo() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(SimulatorMain.execute(System.out, "--scenario", "no/such/file.yaml")).isEqualTo(2);
    } finally {
      System.setErr(stderr);
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("refit-simulator:")
        .contains("no/such/file.yaml");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertThat(SimulatorMain.execute(System.out, "--nodez", "3")).isEqualTo(2);
  }
}
