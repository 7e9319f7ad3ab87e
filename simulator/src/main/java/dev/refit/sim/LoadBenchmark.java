package dev.refit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refit.admission.Admission;
import dev.refit.sim.Scenario.NodeGroup;
import dev.refit.testing.invariants.MaxUnavailable;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The load benchmark: five policies over five pools of nodes, each pool in three zones, with
 * different maxUnavailable (three of them zone by zone), the benchmark's workloads and budgets
 * across the fleet, while an {@link EventStorm} writes OSNode status updates for the whole run. It
 * prints one block of figures: whether the operator's handoffs stay within the target, whether its
 * memory stays bounded, and whether any event was lost.
 */
final class LoadBenchmark {

  /** The benchmark's handoff target (docs/benchmarks.md): p99 within 250 ms. */
  static final double HANDOFF_TARGET_MILLIS = 250;

  static final int POOLS = 5;
  static final List<String> ZONES = List.of("zone-a", "zone-b", "zone-c");

  /** Each pool's maxUnavailable, and whether it goes zone by zone. */
  private static final List<String> MAX_UNAVAILABLE = List.of("10%", "15%", "20%", "25%", "12%");

  /**
   * The embedded API logs every storm write it refuses (a failed JSON patch test) as an unhandled
   * exception; refused writes are counted instead. Held in a field so the level is not lost to
   * garbage collection.
   */
  private static final Logger API_SERVER_LOGS = Logger.getLogger("io.vertx");

  private LoadBenchmark() {}

  /** Policy {@code i} (from 0) rolls zone by zone when i is even. */
  static boolean zoneByZone(int pool) {
    return pool % 2 == 0;
  }

  /** The scenario over {@code nodes} nodes, split evenly over the pools and, in each, the zones. */
  static Scenario scenario(int nodes) throws Exception {
    List<NodeGroup> groups = new ArrayList<>();
    List<JsonNode> policies = new ArrayList<>();
    for (int p = 0; p < POOLS; p++) {
      String pool = "pool-" + (p + 1);
      int poolSize = nodes / POOLS + (p < nodes % POOLS ? 1 : 0);
      for (int z = 0; z < ZONES.size(); z++) {
        String zone = ZONES.get(z);
        int count = poolSize / ZONES.size() + (z < poolSize % ZONES.size() ? 1 : 0);
        groups.add(
            new NodeGroup(
                count,
                pool + "-" + zone.substring(zone.length() - 1) + "-",
                Map.of("pool", pool, "topology.kubernetes.io/zone", zone),
                Benchmark.ORIGINAL,
                null));
      }
      policies.add(
          Benchmark.policy(
              pool,
              MAX_UNAVAILABLE.get(p),
              zoneByZone(p) ? "  rollout: {ordering: {zoneByZone: true}}\n" : ""));
    }
    return new Scenario(
            groups,
            Benchmark.workloads(nodes),
            Benchmark.TIMING,
            List.of(),
            policies,
            Math.max(300, nodes * 2))
        .admitted(Admission.ofShippedCrds(), "the load benchmark");
  }

  /**
   * Each policy's handoffs ({@link PolicyHandoffs}): policy {@code pool-N} manages the nodes named
   * {@code pool-N-...}, with its maxUnavailable of its pool's size as its limit.
   */
  static Map<String, List<PolicyHandoffs.Handoff>> handoffs(Report report) {
    Map<String, List<PolicyHandoffs.Handoff>> handoffs = new LinkedHashMap<>();
    for (int p = 0; p < POOLS; p++) {
      String pool = "pool-" + (p + 1);
      List<Report.NodeReport> members =
          report.nodes().stream().filter(n -> n.name().startsWith(pool + "-")).toList();
      int limit = MaxUnavailable.limit(new IntOrString(MAX_UNAVAILABLE.get(p)), members.size());
      handoffs.put(pool, PolicyHandoffs.of(members, limit));
    }
    return handoffs;
  }

  /**
   * Runs the benchmark once over {@code nodes} nodes with a storm of {@code stormPerSecond} status
   * updates, prints its figures, and writes the report if asked. True when every node was updated,
   * no invariant broken and no event lost.
   */
  static boolean run(
      PrintStream out,
      int nodes,
      double stormPerSecond,
      Path operatorApp,
      Path work,
      Path reportFile)
      throws Exception {
    API_SERVER_LOGS.setLevel(Level.OFF);
    Scenario scenario = scenario(nodes);
    LoadProbe probe = new LoadProbe(stormPerSecond);
    Report report =
        new Simulation(scenario, new Simulation.Options(operatorApp, work, probe)).run();
    if (reportFile != null) {
      report.write(reportFile);
    }
    LoadFigures figures = LoadFigures.of(report, probe, handoffs(report));
    figures.print(out, nodes, stormPerSecond);
    return report.passed() && figures.noEventLost();
  }
}
