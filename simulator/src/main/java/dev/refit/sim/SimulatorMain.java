package dev.refit.sim;

import dev.refit.admission.Admission;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
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

  @Option(
      names = "--chaos",
      paramLabel = "SEEDS",
      description =
          "Run the seeded chaos suite: this many seeds from --first-seed (docs/reliability.md).")
  Integer chaos;

  @Option(
      names = "--first-seed",
      paramLabel = "SEED",
      description = "The chaos suite's first seed (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  long firstSeed;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      description = "Chaos runs at a time (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int parallel;

  @Option(
      names = "--chaos-seed",
      paramLabel = "SEED",
      description = "Replay one chaos seed with live progress; its scenario file is written too.")
  Long chaosSeed;

  @Option(
      names = "--benchmark-load",
      paramLabel = "NODES",
      arity = "0..1",
      fallbackValue = "1000",
      description =
          "Run the load benchmark (five policies over five pools, an event storm of OSNode status"
              + " updates for the whole run) over this many nodes (default 1000) and print its"
              + " figures.")
  Integer benchmarkLoad;

  @Option(
      names = "--storm-rate",
      paramLabel = "PER_SECOND",
      description =
          "OSNode status updates per second of the load benchmark's storm (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "300")
  double stormRate;

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
              cmd.getErr().println("refit-simulator: " + message(e));
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
    if (chaos != null) {
      ChaosSuite.logWarningsToFile(out);
      return ChaosSuite.run(
              out,
              firstSeed,
              chaos,
              Math.max(1, parallel),
              OperatorProcess.locate(operatorJar),
              report)
          ? 0
          : 1;
    }
    if (chaosSeed != null) {
      Path file = Files.createTempDirectory("refit-chaos").resolve("chaos-" + chaosSeed + ".yaml");
      ChaosSuite.writeScenario(chaosSeed, file);
      out.println("Chaos seed " + chaosSeed + ": the scenario is in " + file);
      scenario = file;
    }
    if (benchmarkLoad != null) {
      boolean held =
          LoadBenchmark.run(
              out,
              benchmarkLoad,
              stormRate,
              OperatorProcess.locate(operatorJar),
              Files.createTempDirectory("refit-load"),
              report);
      return held ? 0 : 1;
    }
    Scenario chosen =
        scenario != null ? Scenario.read(existing(scenario, "scenario")) : Scenario.demo(nodes);
    if (snapshot != null) {
      FleetSnapshot fleet = FleetSnapshot.read(existing(snapshot, "fleet snapshot"));
      chosen = fleet.applyTo(chosen, scenario == null);
    }
    // before anything runs: a policy the API server would refuse is not rehearsed
    String origin =
        scenario != null
            ? scenario.toString()
            : snapshot != null ? "the rehearsal policy" : "the demo";
    chosen = chosen.admitted(Admission.ofShippedCrds(), origin);
    Preflight.print(out, Preflight.of(chosen));
    Path work = Files.createTempDirectory("refit-sim");
    boolean terminal = System.console() != null && !quiet;
    Progress progress = new Progress(out, terminal, quiet);
    if (terminal) {
      // a warning printed between two frames would leave the table standing above it: on a
      // terminal, warnings are notes under the table
      logToNotes(progress);
    }
    Simulation simulation =
        new Simulation(
            chosen,
            new Simulation.Options(
                OperatorProcess.locate(operatorJar),
                work,
                progress,
                chaosSeed == null ? 42 : chaosSeed));
    Report result = simulation.run();
    if (report != null) {
      result.write(report);
    }
    Summary.print(out, chosen, result, work.resolve("operator.log"), report);
    if (simulation.stalled() != null) {
      out.println();
      out.printf(
          "Stopped after %.1f s, before the timeout: %s%n",
          result.durationSeconds(), simulation.stalled());
    } else if (!result.completed()) {
      out.println();
      out.println("The fleet had not settled: " + String.join("; ", simulation.waitingFor()));
    }
    return result.passed() ? 0 : 1;
  }

  /** Log records go to the table's notes rather than to standard error. */
  private static void logToNotes(Progress progress) {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    SimpleFormatter format = new SimpleFormatter();
    root.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (isLoggable(record)) {
              progress.note(
                  record.getLevel().getLocalizedName().toLowerCase(Locale.ROOT)
                      + ": "
                      + format.formatMessage(record));
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  /** The file, if it is one; else a usage error that says what is missing. */
  static Path existing(Path file, String what) throws ScenarioException {
    if (Files.isDirectory(file)) {
      throw new ScenarioException(what + " " + file + " is a directory, not a file");
    }
    if (!Files.isRegularFile(file)) {
      throw new ScenarioException(what + " file " + file + " does not exist");
    }
    return file;
  }

  /** An error's message; a file the JDK could not find says so rather than only its path. */
  private static String message(Exception e) {
    if (e instanceof NoSuchFileException missing) {
      return missing.getFile() + " does not exist";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
