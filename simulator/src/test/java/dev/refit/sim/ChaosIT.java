package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The short slice of the chaos suite (the full suite is {@code --chaos 200}; docs/reliability.md):
 * a few seeds, each a fleet with the operator killed, edits, deletions, node churn, a person's
 * cordons and API faults. Every invariant holds, every run ends, and the API faults reached the
 * operator's code, not only its HTTP client.
 */
class ChaosIT {

  /**
   * Seeds 16 and 17 draw small fleets (24 and 34 nodes; the suite draws 20 to 100), to keep the
   * slice short; both once broke maxUnavailable (a stale Node cache, a round's slow writes).
   */
  static final long FIRST_SEED = 16;

  static final int SEEDS = 2;

  @Test
  void everyInvariantHoldsUnderChaosAndTheFaultsReachTheOperator() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    boolean passed =
        ChaosSuite.run(out, FIRST_SEED, SEEDS, 2, OperatorProcess.locate(null), (Path) null);

    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(passed).as(printed).isTrue();
    assertThat(printed).contains(SEEDS + " seeds in").contains("0 failed; 0 invariant violations");
    long reached =
        Long.parseLong(
            printed.replaceAll("(?s).*injected, ([\\d,]+) reached.*", "$1").replace(",", ""));
    assertThat(reached).as("API faults that reached the operator's code").isGreaterThan(20);
  }
}
