package dev.refit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.api.OSFamily;
import dev.refit.sim.Scenario.Fault;
import dev.refit.sim.Scenario.NodeGroup;
import dev.refit.sim.Scenario.OsSpec;
import dev.refit.sim.Scenario.Pdb;
import dev.refit.sim.Scenario.WorkloadSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Draws a chaos scenario from a seed: a fleet of 20 to 100 nodes in three zones (one or two
 * policies), workloads with budgets (one that blocks every drain until it is relaxed), and a mix of
 * what goes wrong — API faults that reach the operator, the operator killed hard and two replicas
 * handing over the Lease, agents restarted, downloads that fail, nodes that never reboot or never
 * return, policy edits (new target, pause and resume, another selector, another maxUnavailable), a
 * policy deleted, nodes joining and leaving, a person cordoning and uncordoning. The same seed
 * always draws the same scenario.
 */
final class ChaosScenarios {

  static final String FROM = "40.20241201.3.0";
  static final String TARGET = "41.20250101.3.0";
  static final String NEXT = "41.20250115.3.0";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] ZONES = {"a", "b", "c"};

  private ChaosScenarios() {}

  /** The scenario of this seed. */
  static Scenario of(long seed) {
    // SplittableRandom: java.util.Random's first draws of consecutive small seeds are nearly equal
    return new Draw(new SplittableRandom(seed)).scenario();
  }

  /** One drawing; every choice comes from the one random source, in a fixed order. */
  private static final class Draw {
    private final SplittableRandom random;
    private final List<String> workers = new ArrayList<>();
    private final List<String> infra = new ArrayList<>();
    private final List<TimedEvent> events = new ArrayList<>();

    Draw(SplittableRandom random) {
      this.random = random;
    }

    Scenario scenario() {
      int size = 20 + random.nextInt(81);
      boolean twoPolicies = random.nextBoolean();
      int infraSize = twoPolicies ? Math.max(3, size / 5) : 0;
      List<NodeGroup> groups = new ArrayList<>();
      for (int z = 0; z < ZONES.length; z++) {
        int count = (size - infraSize) / 3 + (z < (size - infraSize) % 3 ? 1 : 0);
        groups.add(group(count, "w" + ZONES[z] + "-", "workers", ZONES[z], workers));
      }
      if (twoPolicies) {
        groups.add(group(infraSize, "infra-", "infra", "a", infra));
      }
      List<JsonNode> policies = new ArrayList<>();
      policies.add(policy("workers", "workers", size - infraSize));
      if (twoPolicies) {
        policies.add(policy("infra", "infra", infraSize));
      }
      List<WorkloadSpec> workloads = workloads(size);
      List<Fault> faults = nodeFaults();
      ApiFaultSpec apiFaults = apiFaults();
      int replicas = 1 + random.nextInt(2);
      events(twoPolicies, workloads);
      return new Scenario(
          groups,
          workloads,
          new Scenario.Timing(0.5 + random.nextInt(2) * 0.5, 1, 0.5),
          faults,
          policies,
          timeoutSeconds(size),
          apiFaults,
          events,
          replicas,
          null);
    }

    /**
     * Long enough for the whole fleet one node at a time (an edit may lower maxUnavailable to 1):
     * about 4 s a node under injected faults with three runs sharing two cores, doubled, plus a
     * minute; never under 420 s.
     */
    static int timeoutSeconds(int nodes) {
      return Math.max(420, 60 + 8 * nodes);
    }

    private NodeGroup group(
        int count, String prefix, String pool, String zone, List<String> names) {
      NodeGroup group =
          new NodeGroup(
              count,
              prefix,
              Map.of("pool", pool, "topology.kubernetes.io/zone", zone),
              new OsSpec(OSFamily.FedoraCoreOS, FROM, null),
              null);
      names.addAll(group.names());
      return group;
    }

    private JsonNode policy(String name, String pool, int size) {
      ObjectNode policy = JSON.createObjectNode();
      policy.put("apiVersion", "refit.dev/v1alpha1").put("kind", "OSUpdatePolicy");
      policy.putObject("metadata").put("name", name);
      ObjectNode spec = policy.putObject("spec");
      spec.putObject("nodeSelector").putObject("matchLabels").put("pool", pool);
      spec.putObject("os").put("family", "FedoraCoreOS").put("version", TARGET);
      // 4 to 7 waves: enough for slots to be handed over many times, short enough for a suite
      if (random.nextBoolean()) {
        spec.put("maxUnavailable", (15 + random.nextInt(16)) + "%");
      } else {
        spec.put("maxUnavailable", Math.max(2, size / 7) + random.nextInt(Math.max(1, size / 8)));
      }
      spec.putObject("rollout").putObject("ordering").put("zoneByZone", random.nextBoolean());
      spec.putObject("drain")
          .put("timeoutSeconds", 10 + random.nextInt(11))
          .put("onTimeout", "Skip");
      spec.putObject("healthCheck").put("readyTimeoutSeconds", 10);
      spec.putObject("failurePolicy").put("maxFailedNodes", 4 + random.nextInt(6));
      return policy;
    }

    private List<WorkloadSpec> workloads(int size) {
      List<WorkloadSpec> workloads = new ArrayList<>();
      workloads.add(
          new WorkloadSpec(
              "web",
              "shop",
              Math.max(4, size / 2),
              Map.of("pool", "workers"),
              new Pdb(null, new IntOrString("25%")),
              0.5,
              0.5));
      workloads.add(
          new WorkloadSpec("cache", "shop", Math.max(2, size / 5), Map.of(), null, 0.5, 0.5));
      if (random.nextBoolean()) {
        // a budget that blocks every drain of its nodes until a person relaxes it
        workloads.add(
            new WorkloadSpec(
                "db",
                "data",
                2,
                Map.of("pool", "workers"),
                new Pdb(new IntOrString(2), null),
                1.0,
                0.5));
      }
      return workloads;
    }

    private List<Fault> nodeFaults() {
      List<Fault> faults = new ArrayList<>();
      for (int i = random.nextInt(3); i > 0; i--) {
        faults.add(Fault.failStage(pick(workers)));
      }
      if (random.nextInt(3) == 0) {
        faults.add(Fault.neverReboot(pick(workers)));
      }
      if (random.nextInt(3) == 0) {
        faults.add(Fault.neverReady(pick(workers)));
      }
      // one fault per node: the last drawn wins, as a scenario file would read
      Map<String, Fault> byNode = new LinkedHashMap<>();
      faults.forEach(f -> byNode.put(f.node(), f));
      return new ArrayList<>(byNode.values());
    }

    private ApiFaultSpec apiFaults() {
      return new ApiFaultSpec(
          0.01 + random.nextDouble() * 0.04,
          0.005 + random.nextDouble() * 0.015,
          0.002 + random.nextDouble() * 0.008,
          0.01 + random.nextDouble() * 0.04,
          0.002 + random.nextDouble() * 0.008,
          0.1 + random.nextDouble() * 0.4,
          random.nextInt(4) == 0 ? 11.0 : 0.5);
    }

    private void events(boolean twoPolicies, List<WorkloadSpec> workloads) {
      for (int i = random.nextInt(3); i > 0; i--) {
        at(2 + random.nextInt(25)).killOperator();
      }
      for (int i = random.nextInt(3); i > 0; i--) {
        at(random.nextInt(25)).restartAgent(random.nextInt(4) == 0 ? "all" : pick(workers));
      }
      switch (random.nextInt(4)) {
        case 0 ->
            at(5 + random.nextInt(20)).edit("workers", "{\"os\":{\"version\":\"" + NEXT + "\"}}");
        case 1 -> {
          int pause = 3 + random.nextInt(20);
          at(pause).edit("workers", "{\"rollout\":{\"paused\":true}}");
          at(pause + 3 + random.nextInt(10)).edit("workers", "{\"rollout\":{\"paused\":false}}");
        }
        case 2 ->
            at(5 + random.nextInt(20))
                .edit(
                    "workers",
                    "{\"nodeSelector\":{\"matchLabels\":{\"pool\":\"workers\"},"
                        + "\"matchExpressions\":[{\"key\":\"topology.kubernetes.io/zone\","
                        + "\"operator\":\"NotIn\",\"values\":[\"c\"]}]}}");
        default ->
            at(5 + random.nextInt(20))
                .edit("workers", "{\"maxUnavailable\":" + (1 + random.nextInt(4)) + "}");
      }
      if (twoPolicies && random.nextBoolean()) {
        at(3 + random.nextInt(20)).deletePolicy("infra");
      }
      for (int i = random.nextInt(4); i > 0; i--) {
        String zone = ZONES[random.nextInt(3)];
        NodeGroup joining =
            new NodeGroup(
                0,
                null,
                Map.of("pool", "workers", "topology.kubernetes.io/zone", zone),
                new OsSpec(OSFamily.FedoraCoreOS, FROM, null),
                null,
                "new-" + zone + "-" + i,
                null,
                null);
        at(random.nextInt(25)).join(joining);
      }
      for (int i = random.nextInt(3); i > 0; i--) {
        String leaving = workers.remove(random.nextInt(workers.size()));
        at(random.nextInt(25)).deleteNode(leaving);
      }
      for (int i = random.nextInt(4); i > 0; i--) {
        String node = workers.remove(random.nextInt(workers.size()));
        int cordonAt = random.nextInt(20);
        at(cordonAt).cordon(node);
        if (random.nextBoolean()) {
          at(cordonAt + 2 + random.nextInt(20)).uncordon(node);
        }
      }
      if (workloads.stream().anyMatch(w -> w.name().equals("db"))) {
        at(5 + random.nextInt(20)).relax("db");
      }
    }

    private String pick(List<String> names) {
      return names.get(random.nextInt(names.size()));
    }

    private Event at(double seconds) {
      return new Event(seconds);
    }

    /** Builds one event and adds it. */
    private final class Event {
      private final double at;

      Event(double at) {
        this.at = at;
      }

      private void add(TimedEvent event) {
        events.add(event);
      }

      void killOperator() {
        add(new TimedEvent(at, true, null, null, null, null, null, null, null, null, null, null));
      }

      void restartAgent(String node) {
        add(new TimedEvent(at, null, node, null, null, null, null, null, null, null, null, null));
      }

      void edit(String policy, String spec) {
        try {
          add(
              new TimedEvent(
                  at,
                  null,
                  null,
                  policy,
                  JSON.readTree(spec),
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null));
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
      }

      void deletePolicy(String policy) {
        add(new TimedEvent(at, null, null, null, null, policy, null, null, null, null, null, null));
      }

      void join(NodeGroup group) {
        add(new TimedEvent(at, null, null, null, null, null, group, null, null, null, null, null));
      }

      void deleteNode(String node) {
        add(new TimedEvent(at, null, null, null, null, null, null, node, null, null, null, null));
      }

      void cordon(String node) {
        add(new TimedEvent(at, null, null, null, null, null, null, null, node, null, null, null));
      }

      void uncordon(String node) {
        add(new TimedEvent(at, null, null, null, null, null, null, null, null, node, null, null));
      }

      void relax(String workload) {
        add(
            new TimedEvent(
                at, null, null, null, null, null, null, null, null, null, workload, null));
      }
    }
  }
}
