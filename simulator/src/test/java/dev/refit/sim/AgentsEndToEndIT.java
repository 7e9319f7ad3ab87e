package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.api.NodeState;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.sim.Scenario.NodeGroup;
import dev.refit.sim.Scenario.OsSpec;
import dev.refit.testing.invariants.NoForeignUncordon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The real operator (the packaged application, as its own process) and ten real node-updater agents
 * (fake OS backend, bound to fake kubelets) update ten nodes end to end over the embedded API, with
 * the simulator's invariants watched: stage everywhere, then one node at a time cordoned, drained,
 * rebooted by its agent, verified and uncordoned.
 */
class AgentsEndToEndIT {

  static final String ORIGINAL = "40.20241201.3.0";
  static final String TARGET = "41.20250101.3.0";
  static final Map<String, String> WORKERS = Map.of("pool", "workers");

  @Test
  void tenNodesAreUpdatedOneAtATimeEachRebootedOnceByItsAgent() throws Exception {
    Scenario scenario =
        new Scenario(
            List.of(
                new NodeGroup(
                    10,
                    "worker-",
                    WORKERS,
                    new OsSpec(OSFamily.FedoraCoreOS, ORIGINAL, null),
                    null)),
            List.of(),
            new Scenario.Timing(0.3, 0.2, 0.1),
            List.of(),
            List.of(
                new ObjectMapper()
                    .readTree(
                        """
                        {"apiVersion": "refit.dev/v1alpha1", "kind": "OSUpdatePolicy",
                         "metadata": {"name": "workers"},
                         "spec": {"nodeSelector": {"matchLabels": {"pool": "workers"}},
                                  "os": {"version": "%s"}}}
                        """
                            .formatted(TARGET))),
            120);
    List<OSUpdatePolicy> policies = scenario.policyObjects();
    Path log = Files.createTempFile("operator", ".log");
    try (SimulatedFleet fleet = new SimulatedFleet(scenario)) {
      Map<String, String> policyOf = new HashMap<>();
      Map<String, Integer> limits = new HashMap<>();
      Simulation.claims(fleet, policies, policyOf, limits);
      try (Observer observer =
              new Observer(
                      fleet.api,
                      Simulation.invariants(
                          fleet, policies, NoForeignUncordon.ofCordonsFoundAtFirstSight()))
                  .start();
          OperatorProcess operator =
              new OperatorProcess(OperatorProcess.locate(null), fleet.api.url(), log)) {
        fleet.startAgents();
        operator.start();
        fleet.api.client().resource(policies.get(0)).create();

        Awaitility.await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  List<OSNode> all = fleet.api.client().resources(OSNode.class).list().getItems();
                  return all.size() == 10
                      && all.stream().allMatch(n -> n.getSpec().getState() == NodeState.UpToDate);
                });

        assertThat(fleet.api.client().resources(OSNode.class).list().getItems())
            .allSatisfy(
                n -> {
                  assertThat(n.getStatus().getCurrentRevision())
                      .isEqualTo(n.getSpec().getDesiredRevision());
                  assertThat(n.getStatus().getBooted().getVersion()).isEqualTo(TARGET);
                  assertThat(n.getStatus().getBootId())
                      .isEqualTo(fleet.nodes.bootId(n.getMetadata().getName()));
                });
        for (String node : fleet.nodeNames()) {
          assertThat(fleet.hosts.get(node).booted().getVersion()).as(node).isEqualTo(TARGET);
          assertThat(fleet.hosts.get(node).boots()).as(node + " boots").isEqualTo(1);
          assertThat(fleet.hosts.get(node).rebootRequests())
              .as(node + " reboot requests")
              .hasSize(1);
        }
        Map<String, Integer> boots = observer.read(AgentsEndToEndIT::seenBoots);
        boolean anyCordonedByRefit =
            observer.read(nodes -> nodes.values().stream().anyMatch(s -> s.refitCordoned));
        assertThat(boots).hasSize(10).allSatisfy((n, count) -> assertThat(count).as(n).isOne());
        assertThat(observer.maxDisrupted()).isEqualTo(1);
        assertThat(anyCordonedByRefit).as("a node still cordoned by Refit").isFalse();
        assertThat(observer.finish()).as("invariants broken").isEmpty();
      }
    }
  }

  private static Map<String, Integer> seenBoots(Map<String, Observer.Seen> nodes) {
    return nodes.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().boots));
  }
}
