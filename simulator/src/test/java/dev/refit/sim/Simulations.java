package dev.refit.sim;

import java.nio.file.Files;

/** Runs a scenario as the simulator's command does: the packaged operator, a fresh work dir. */
final class Simulations {

  private Simulations() {}

  /** The scenario's report, with the operator built by this module's package phase. */
  static Report run(Scenario scenario) throws Exception {
    return new Simulation(
            scenario,
            new Simulation.Options(
                OperatorProcess.locate(null),
                Files.createTempDirectory("refit-sim-it"),
                Progress.silent()))
        .run();
  }
}
