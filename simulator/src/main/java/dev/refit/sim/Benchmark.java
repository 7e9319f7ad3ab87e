package dev.refit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSTarget;
import dev.refit.api.Revisions;
import dev.refit.sim.Scenario.NodeGroup;
import dev.refit.sim.Scenario.OsSpec;
import dev.refit.sim.Scenario.Pdb;
import dev.refit.sim.Scenario.WorkloadSpec;
import dev.refit.updater.agent.AgentMetrics;
import dev.refit.updater.agent.AgentSettings;
import dev.refit.updater.agent.ModuleSources;
import dev.refit.updater.agent.NodeAgent;
import dev.refit.updater.backend.fake.FakeBackend;
import dev.refit.updater.backend.fake.FakeHost;
import dev.refit.updater.backend.fake.FakeMachine;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The benchmark: plain rollouts over fleets of the given sizes — maxUnavailable 10%, about two and
 * a half pods per node (a web tier with a 25% budget, an API tier with a 50% budget, batch pods
 * without), pods that take 2 s to stop, hosts that take 5 s to stage, 10 s to reboot and 5 s to be
 * Ready — one line of figures each, and the heap a simulated agent costs.
 */
final class Benchmark {

  private Benchmark() {}

  /** What the hosts run before the update. */
  static final OsSpec ORIGINAL = new OsSpec(OSFamily.FedoraCoreOS, "40.20241201.3.0", null);

  /** Host steps: 5 s to stage, 10 s to reboot, 5 s to be Ready. */
  static final Scenario.Timing TIMING = new Scenario.Timing(5, 10, 5);

  /** The benchmark's scenario for a fleet of {@code nodes}. */
  static Scenario scenario(int nodes) throws Exception {
    return new Scenario(
        List.of(new NodeGroup(nodes, "node-", Map.of("pool", "fleet"), ORIGINAL, null)),
        workloads(nodes),
        TIMING,
        List.of(),
        List.of(policy("fleet", "10%", "")),
        Math.max(300, nodes * 2));
  }

  /**
   * A policy named after the pool it selects (label {@code pool}), to the benchmark's target OS,
   * with this maxUnavailable, a 300 s drain timeout and any further lines of spec (YAML, indented
   * two spaces).
   */
  static JsonNode policy(String pool, String maxUnavailable, String moreSpec) throws Exception {
    return new ObjectMapper(new YAMLFactory())
        .readTree(
            "apiVersion: refit.dev/v1alpha1\n"
                + "kind: OSUpdatePolicy\n"
                + "metadata: {name: "
                + pool
                + "}\n"
                + "spec:\n"
                + "  nodeSelector: {matchLabels: {pool: "
                + pool
                + "}}\n"
                + "  os: {version: \"41.20250101.3.0\"}\n"
                // plain: 20 is a number, 10% a string
                + "  maxUnavailable: "
                + maxUnavailable
                + "\n"
                + "  drain: {timeoutSeconds: 300}\n"
                + moreSpec);
  }

  /**
   * About two and a half pods per node of a fleet of {@code nodes}, on any node: a web tier with a
   * 25% budget, an API tier with a 50% budget, batch pods without; 2 s to stop, 2 s to start.
   */
  static List<WorkloadSpec> workloads(int nodes) {
    return List.of(
        new WorkloadSpec(
            "web", "shop", nodes, Map.of(), new Pdb(null, new IntOrString("25%")), 2.0, 2.0),
        new WorkloadSpec(
            "api", "shop", nodes / 2, Map.of(), new Pdb(new IntOrString("50%"), null), 2.0, 2.0),
        new WorkloadSpec("batch", "jobs", nodes, Map.of(), null, 2.0, 2.0));
  }

  static void run(PrintStream out, List<Integer> sizes, Path operatorApp, Path work, Path reports)
      throws Exception {
    out.println(
        "nodes  duration  ideal   ratio  handoff p50/p99 ms  operator req/node  op heap MiB  op RSS MiB  violations");
    for (int size : sizes) {
      Report report =
          new Simulation(
                  scenario(size), new Simulation.Options(operatorApp, work, Progress.silent()))
              .run();
      if (reports != null) {
        report.write(reports.resolveSibling(reports.getFileName() + "-" + size + ".json"));
      }
      out.printf(
          "%5d  %7.1fs  %5.1fs  %5.2f  %7.1f / %-8.1f  %17.1f  %11d  %10d  %d%s%n",
          size,
          report.durationSeconds(),
          report.idealSeconds(),
          report.durationSeconds() / report.idealSeconds(),
          report.handoffLatencyMillis().p50(),
          report.handoffLatencyMillis().p99(),
          report.apiRequests().operatorPerNodeUpdate(),
          report.operator().peakHeapBytes() >> 20,
          report.operator().peakRssBytes() >> 20,
          report.invariantViolations().size(),
          report.completed() ? "" : "  (did not finish)");
    }
    out.printf("simulated agent heap per node: %.1f KiB%n", agentHeapPerNode(1000) / 1024.0);
  }

  /**
   * The heap one simulated agent costs: {@code count} agents with their fake hosts, each holding
   * its OSNode, measured after a full collection, divided by the count.
   */
  static double agentHeapPerNode(int count) throws Exception {
    ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    try {
      long before = usedAfterGc();
      List<NodeAgent> agents = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = "node-" + i;
        FakeHost host =
            new FakeHost(
                OSFamily.FedoraCoreOS,
                FakeHost.deploymentOf(OSTarget.version("40.20241201.3.0")),
                FakeMachine.inMemory(name),
                Clock.systemUTC());
        NodeAgent agent =
            new NodeAgent(
                name,
                new FakeBackend(host),
                (osNode, status) -> {
                  osNode.setStatus(status);
                  return osNode;
                },
                ModuleSources.inlineOnly(),
                executor,
                Clock.systemUTC(),
                new AgentSettings(
                    Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofSeconds(1), 5),
                AgentMetrics.NONE);
        agent.onOsNode(osNode(name));
        agents.add(agent);
      }
      Thread.sleep(2000); // every agent reports once
      long after = usedAfterGc();
      double perNode = (after - before) / (double) count;
      agents.forEach(NodeAgent::close);
      return perNode;
    } finally {
      executor.shutdownNow();
    }
  }

  private static OSNode osNode(String name) {
    OSNode osNode = new OSNode();
    osNode.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(1L).build());
    OSNodeSpec spec = new OSNodeSpec();
    spec.setPolicy("fleet");
    OSTarget target = OSTarget.version("41.20250101.3.0");
    spec.setOs(target);
    spec.setDesiredRevision(Revisions.of(target, null));
    spec.setTarget(target.display());
    osNode.setSpec(spec);
    return osNode;
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
