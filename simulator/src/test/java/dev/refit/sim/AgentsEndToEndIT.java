package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeState;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNode;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.InvariantWatch;
import dev.refit.operator.testing.RunningOperator;
import dev.refit.sim.Scenario.NodeGroup;
import dev.refit.sim.Scenario.OsSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The real operator's reconciler and ten real node-updater agents (fake OS backend, bound to fake
 * kubelets) update ten nodes end to end over the embedded API: stage everywhere, then one node at a
 * time cordoned, drained, rebooted by its agent, verified and uncordoned.
 */
class AgentsEndToEndIT {

  static final String ORIGINAL = "40.20241201.3.0";
  static final String TARGET = "41.20250101.3.0";
  static final Map<String, String> WORKERS = Map.of("pool", "workers");

  @Test
  void tenNodesAreUpdatedOneAtATimeEachRebootedOnceByItsAgent() {
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
            List.of(),
            120);
    try (SimulatedFleet fleet = new SimulatedFleet(scenario);
        InvariantWatch watch = new InvariantWatch(fleet.api)) {
      fleet.startAgents();
      try (RunningOperator operator = RunningOperator.start(fleet.api)) {
        fleet.api.client().resource(Fixtures.policy("workers", WORKERS, TARGET)).create();

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
        assertThat(watch.reboots()).hasSize(10).allSatisfy((n, boots) -> assertThat(boots).isOne());
        assertThat(watch.maxUnavailable()).isEqualTo(1);
        assertThat(watch.cordonedByRefitNow()).isEmpty();
      }
    }
  }
}
