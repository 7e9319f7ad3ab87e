package dev.refit.sim;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Refit fleet simulator: runs the real operator and real node agents (fake OS backend) against
 * an embedded Kubernetes API, shows the rollout, and reports what the harness saw.
 */
@Command(
    name = "refit-simulator",
    mixinStandardHelpOptions = true,
    version = "refit-simulator 0.1.0",
    description = {
      "Rehearses a Refit rollout on a simulated fleet: the real operator (as its own process) and"
          + " a real node-updater agent per node (fake OS backend) against an embedded Kubernetes"
          + " API with fake kubelets, workloads and PodDisruptionBudgets.",
      "Without options: the built-in demo, 20 nodes and one policy.",
      "Exit status: 0 when the rollout finished with no invariant broken, 1 otherwise, 2 for a"
          + " usage or scenario error."
    })
public final class SimulatorMain implements Callable<Integer> {

  @Option(
      names = "--nodes",
      description = "Nodes of the built-in demo (default: ${DEFAULT-VALUE}).",
      defaultValue = "20")
  int nodes;

  @Option(
      names = "--scenario",
      paramLabel = "FILE",
      description = "A scenario file (YAML; see docs/simulator.md).")
  Path scenario;

  @Option(
      names = "--fleet-snapshot",
      paramLabel = "FILE",
      description = "The fleet from `kubectl get nodes,pods,pdb -A -o yaml` of a real cluster.")
  Path snapshot;

  @Option(names = "--report", paramLabel = "FILE", description = "Write the report (JSON) here.")
  Path report;

  @Option(
      names = "--operator-jar",
      paramLabel = "FILE",
      description = "The operator to run (quarkus-run.jar); found beside the simulator by default.")
  Path operatorJar;

  @Option(names = "--quiet", description = "No live progress, only the summary.")
  boolean quiet;

  @Option(
      names = "--benchmark",
      paramLabel = "SIZES",
      split = ",",
      arity = "0..1",
      fallbackValue = "100,1000",
      description =
          "Run the benchmark (plain rollouts, maxUnavailable 10%%) over fleets of these sizes"
              + " (default 100,1000) and print one line of figures each.")
  List<Integer> benchmark;

  private static final Logger FABRIC8_LOGS = Logger.getLogger("io.fabric8");

  private final PrintStream out;

  SimulatorMain(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    // The client library's notices (informer reconnects, API version warnings) are not the
    // user's business here; the agents' and the harness's warnings still show.
    FABRIC8_LOGS.setLevel(Level.SEVERE);
    System.exit(execute(System.out, args));
  }

  static int execute(PrintStream out, String... args) {
    return new CommandLine(new SimulatorMain(out))
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              cmd.getErr().println("refit-simulator: " + e.getMessage());
              return 2;
            })
        .execute(args);
  }

  @Override
  public Integer call() throws Exception {
    if (benchmark != null) {
      Benchmark.run(
          out,
          benchmark,
          OperatorProcess.locate(operatorJar),
          Files.createTempDirectory("refit-bench"),
          report);
      return 0;
    }
    Scenario chosen = scenario != null ? Scenario.read(scenario) : Scenario.demo(nodes);
    if (snapshot != null) {
      FleetSnapshot fleet = FleetSnapshot.read(snapshot);
      chosen = fleet.applyTo(chosen, scenario == null);
    }
    Preflight.print(out, Preflight.of(chosen));
    Path work = Files.createTempDirectory("refit-sim");
    Progress progress = new Progress(out, System.console() != null && !quiet, quiet);
    Report result =
        new Simulation(
                chosen, new Simulation.Options(OperatorProcess.locate(operatorJar), work, progress))
            .run();
    if (report != null) {
      result.write(report);
    }
    Summary.print(out, chosen, result, work.resolve("operator.log"), report);
    return result.passed() ? 0 : 1;
  }
}
