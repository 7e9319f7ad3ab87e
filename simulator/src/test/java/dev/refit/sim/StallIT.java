package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A run that cannot make progress ends, says why, and fails, instead of waiting out its time. */
class StallIT {

  @Test
  void aPolicyThatSelectsNoNodeEndsTheRunWithAMessageLongBeforeItsTimeout() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long started = System.nanoTime();

    int status =
        SimulatorMain.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            "--quiet",
            "--scenario",
            "src/test/resources/sim/no-matching-nodes.yaml");

    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(status).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("before the timeout: the rollout cannot make progress")
        .contains("nobody: NoMatchingNodes");
    // the settle period really passed, and the 120 s timeout did not
    assertThat(seconds).isBetween(Stall.MIN_SETTLE_SECONDS, 60.0);
  }
}
