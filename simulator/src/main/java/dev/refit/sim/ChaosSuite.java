package dev.refit.sim;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.refit.admission.Admission;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The seeded chaos suite: runs the scenario of each seed ({@link ChaosScenarios}) with the real
 * operator, judges every invariant, and prints one line per seed and the totals. A run fails when
 * an invariant broke or when it did not settle before its timeout; a failing seed is printed with
 * the one command that replays it.
 */
final class ChaosSuite {

  static final String REPLAY = "java -jar simulator/target/refit-simulator.jar --chaos-seed ";

  /** One seed's outcome. */
  record Run(long seed, int nodes, Report report, String stalled, String error, Path work) {

    boolean passed() {
      return error == null
          && report.invariantViolations().isEmpty()
          && (report.completed() || stalled != null);
    }

    long reachedOperator() {
      return report == null || report.apiFaults() == null
          ? 0
          : report.apiFaults().reachedOperator();
    }

    long injected() {
      return report == null || report.apiFaults() == null ? 0 : report.apiFaults().injectedTotal();
    }

    String line() {
      if (error != null) {
        return String.format("seed %6d  %3d nodes  ERROR %s", seed, nodes, error);
      }
      String end =
          report.completed() ? "settled" : stalled != null ? "halted/quiet" : "DID NOT SETTLE";
      return String.format(
          "seed %6d  %3d nodes  %6.1f s  %-14s  faults %5d injected, %4d reached the operator"
              + "  operator starts %d  violations %d%s",
          seed,
          nodes,
          report.durationSeconds(),
          end,
          injected(),
          reachedOperator(),
          report.operator().starts(),
          report.invariantViolations().size(),
          passed()
              ? ""
              : "  FAILED: replay with "
                  + REPLAY
                  + seed
                  + (work == null ? "" : "; operator log " + work.resolve("operator.log")));
    }
  }

  private ChaosSuite() {}

  /** Runs seeds {@code first .. first+count-1}, {@code parallel} at a time; true if all passed. */
  static boolean run(
      PrintStream out, long first, int count, int parallel, Path operatorApp, Path reportFile)
      throws IOException, InterruptedException {
    out.printf(
        "Chaos suite: seeds %d to %d, %d at a time (replay one with %s<seed>)%n",
        first, first + count - 1, parallel, REPLAY);
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    List<Future<Run>> futures = new ArrayList<>();
    for (long seed = first; seed < first + count; seed++) {
      long s = seed;
      futures.add(pool.submit(() -> runOne(s, operatorApp, Progress.silent())));
    }
    List<Run> runs = new ArrayList<>();
    try {
      for (Future<Run> future : futures) {
        Run run = future.get();
        runs.add(run);
        synchronized (out) {
          out.println(run.line());
          if (run.report() != null) {
            run.report()
                .invariantViolations()
                .forEach(
                    v ->
                        out.printf(
                            "             violation at %.1f s: %s %s: %s%n",
                            v.atSeconds(),
                            v.invariant(),
                            v.node() == null ? "" : v.node(),
                            v.detail()));
          }
        }
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    long failed = runs.stream().filter(r -> !r.passed()).count();
    long violations =
        runs.stream()
            .mapToLong(r -> r.report() == null ? 0 : r.report().invariantViolations().size())
            .sum();
    out.printf(
        "%nChaos suite: %d seeds in %.0f s; %d failed; %d invariant violations; API faults %,d"
            + " injected, %,d reached the operator's code; operator started %d times%n",
        runs.size(),
        (System.nanoTime() - started) / 1e9,
        failed,
        violations,
        runs.stream().mapToLong(Run::injected).sum(),
        runs.stream().mapToLong(Run::reachedOperator).sum(),
        runs.stream().mapToInt(r -> r.report() == null ? 0 : r.report().operator().starts()).sum());
    if (reportFile != null) {
      JsonMapper.builder()
          .build()
          .writerWithDefaultPrettyPrinter()
          .writeValue(reportFile.toFile(), runs);
    }
    return failed == 0;
  }

  /** Runs one seed's scenario, quietly or with the given progress. */
  static Run runOne(long seed, Path operatorApp, Progress progress) {
    Scenario scenario = ChaosScenarios.of(seed);
    int nodes = scenario.nodes().stream().mapToInt(g -> g.names().size()).sum();
    Path work = null;
    try {
      Scenario admitted = scenario.admitted(Admission.ofShippedCrds(), "chaos seed " + seed);
      work = Files.createTempDirectory("refit-chaos-" + seed + "-");
      Simulation simulation =
          new Simulation(admitted, new Simulation.Options(operatorApp, work, progress, seed));
      Report report = simulation.run();
      return new Run(seed, nodes, report, simulation.stalled(), null, work);
    } catch (Exception e) {
      return new Run(seed, nodes, null, null, e.toString(), work);
    }
  }

  /**
   * The suite's log records (the simulated agents' and the harness's warnings, expected under
   * injected faults) go to a file instead of standard error, where they would bury the seeds'
   * lines; says where.
   */
  static void logWarningsToFile(PrintStream out) throws IOException {
    Path file = Files.createTempDirectory("refit-chaos-suite").resolve("warnings.log");
    out.println("Warnings of the simulated agents and the harness go to " + file);
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    FileHandler handler = new FileHandler(file.toString());
    handler.setFormatter(new SimpleFormatter());
    root.addHandler(handler);
  }

  /** The scenario of a seed, as a scenario file (to read, edit, or run with --scenario). */
  static void writeScenario(long seed, Path file) throws IOException {
    ObjectMapper yaml =
        JsonMapper.builder(new YAMLFactory())
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
    yaml.writeValue(file.toFile(), ChaosScenarios.of(seed));
  }
}
