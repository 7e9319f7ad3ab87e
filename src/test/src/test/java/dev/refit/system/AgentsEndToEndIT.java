package dev.refit.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSTarget;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.Selector;
import dev.refit.system.agents.NodeWatch;
import dev.refit.system.agents.OperatorRunner;
import dev.refit.system.agents.SimulatedAgents;
import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.testing.FakeNodes;
import dev.refit.testing.HarnessTiming;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The real operator and ten real node-updater agents (fake OS backend, bound to fake kubelets)
 * update ten nodes end to end over the embedded API: stage everywhere, then one node at a time
 * cordoned, drained, rebooted by its agent, verified and uncordoned.
 */
class AgentsEndToEndIT {

  static final String ORIGINAL = "40.20241201.3.0";
  static final String TARGET = "41.20250101.3.0";
  static final Map<String, String> WORKERS = Map.of("pool", "workers");

  @Test
  void tenNodesAreUpdatedOneAtATimeEachRebootedOnceByItsAgent() {
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start();
        FakeNodes nodes = new FakeNodes(api, HarnessTiming.fast());
        NodeWatch watch = new NodeWatch(api)) {
      for (int i = 1; i <= 10; i++) {
        nodes.add("worker-" + i, WORKERS);
      }
      try (SimulatedAgents agents =
              new SimulatedAgents(api, nodes, ORIGINAL, Duration.ofMillis(300));
          OperatorRunner operator = new OperatorRunner(api)) {
        api.client().resource(policy()).create();

        awaitAllUpToDate(api);

        List<OSNode> osNodes = api.client().resources(OSNode.class).list().getItems();
        assertThat(osNodes)
            .hasSize(10)
            .allSatisfy(
                n -> {
                  assertThat(n.getSpec().getState()).isEqualTo(NodeState.UpToDate);
                  assertThat(n.getStatus().getCurrentRevision())
                      .isEqualTo(n.getSpec().getDesiredRevision());
                  assertThat(n.getStatus().getBooted().getVersion()).isEqualTo(TARGET);
                  assertThat(n.getStatus().getBootId()).isEqualTo(nodes.bootId(name(n)));
                });
        for (String node : nodes.names()) {
          assertThat(agents.host(node).booted().getVersion()).as(node).isEqualTo(TARGET);
          assertThat(agents.host(node).boots()).as(node + " boots").isEqualTo(1);
          assertThat(agents.host(node).rebootRequests()).as(node + " reboot requests").hasSize(1);
          assertThat(watch.cordoned(node)).as(node + " cordoned").isFalse();
        }
        assertThat(watch.boots()).hasSize(10).allSatisfy((n, boots) -> assertThat(boots).isOne());
        assertThat(watch.maxUnavailable()).isEqualTo(1);
      }
    }
  }

  private static OSUpdatePolicy policy() {
    OSUpdatePolicy policy = new OSUpdatePolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("workers").build());
    OSUpdatePolicySpec spec = new OSUpdatePolicySpec();
    spec.setNodeSelector(Selector.matching(WORKERS));
    spec.setOs(OSTarget.version(TARGET));
    policy.setSpec(spec);
    return policy;
  }

  private static void awaitAllUpToDate(EmbeddedKubernetes api) {
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                List<OSNode> all = api.client().resources(OSNode.class).list().getItems();
                return all.size() == 10
                    && all.stream().allMatch(n -> n.getSpec().getState() == NodeState.UpToDate);
              });
    } catch (ConditionTimeoutException e) {
      String fleet =
          api.client().resources(OSNode.class).list().getItems().stream()
              .map(
                  n ->
                      name(n)
                          + " "
                          + n.getSpec().getState()
                          + " "
                          + n.getSpec().getReason()
                          + " "
                          + n.getSpec().getMessage()
                          + " action="
                          + n.getSpec().getAction()
                          + "/"
                          + n.getSpec().getActionId()
                          + " status="
                          + Serialization.asJson(n.getStatus()))
              .collect(Collectors.joining("\n"));
      throw new AssertionError(e.getMessage() + "\n" + fleet, e);
    }
  }

  private static String name(OSNode n) {
    return n.getMetadata().getName();
  }
}
