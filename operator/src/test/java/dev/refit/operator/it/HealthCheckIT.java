package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.Selector;
import dev.refit.operator.testing.FakeAgents;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import dev.refit.testing.PodStates;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * healthCheck.podSelector: after its reboot a node counts as healthy, and is uncordoned and handed
 * over, only once the pods the selector names on it are Ready (a CNI or a storage agent), within
 * healthCheck.readyTimeoutSeconds.
 */
class HealthCheckIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private static final Map<String, String> STORAGE = Map.of("app", "storage-agent");
  private final Fleet fleet = new Fleet();

  @AfterEach
  void stop() {
    fleet.close();
  }

  private OSUpdatePolicy policy(int readyTimeoutSeconds) {
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().getHealthCheck().setPodSelector(Selector.matching(STORAGE));
    policy.getSpec().getHealthCheck().setReadyTimeoutSeconds(readyTimeoutSeconds);
    return policy;
  }

  @Test
  void aNodeIsHandedOverOnlyOnceThePodsOfThePodSelectorAreReady() {
    fleet.withNodes("worker", 2, WORKERS);
    storageAgentStartingOn("worker-1");
    storageAgentStartingOn("worker-2");
    fleet.startOperator();
    fleet.apply(policy(600));

    for (int handedOver = 0; handedOver < 2; handedOver++) {
      String node = awaitBackOnTheNewOs();
      // back on the new OS and Ready, but its storage agent is not: it keeps its cordon and its
      // slot, and the other node waits
      fleet.assertForAtLeast(
          Duration.ofSeconds(2),
          node + " stays Verifying and is the only node cordoned",
          () ->
              fleet.osNode(node).getSpec().getState() == NodeState.Verifying
                  && fleet.invariants.cordonedByRefitNow().equals(List.of(node)));

      markReady("storage-agent-" + node);

      fleet.awaitUntil(
          Duration.ofSeconds(30),
          () -> fleet.osNode(node).getSpec().getState() == NodeState.UpToDate);
    }
    fleet.awaitRolledOut("workers", Duration.ofSeconds(30));
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(1);
  }

  /** The node that rebooted into the new OS and waits in Verifying, once there is one. */
  private String awaitBackOnTheNewOs() {
    String[] found = new String[1];
    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () -> {
          for (String node : List.of("worker-1", "worker-2")) {
            if (fleet.osNode(node) != null
                && fleet.osNode(node).getSpec().getState() == NodeState.Verifying
                && !fleet.agents.running(node).equals(FakeAgents.ORIGINAL)) {
              found[0] = node;
              return true;
            }
          }
          return false;
        });
    return found[0];
  }

  @Test
  void aNodeWhosePodsNeverBecomeReadyFailsAtTheReadyTimeout() {
    fleet.withNodes("worker", 1, WORKERS);
    storageAgentStartingOn("worker-1");
    fleet.startOperator();
    fleet.apply(policy(5));

    fleet.awaitUntil(
        Duration.ofSeconds(40),
        () ->
            fleet.osNode("worker-1") != null
                && fleet.osNode("worker-1").getSpec().getState() == NodeState.Failed);
    assertThat(fleet.osNode("worker-1").getSpec().getReason()).isEqualTo("ReadyTimeout");
    assertThat(fleet.agents.running("worker-1")).isNotEqualTo(FakeAgents.ORIGINAL);
  }

  /**
   * A DaemonSet's pod on the node (so the drain leaves it), still starting: the kubelet restarts
   * running pods after a reboot, but a starting one is its owner's to make Ready.
   */
  private void storageAgentStartingOn(String node) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("storage-agent-" + node)
            .withNamespace("kube-system")
            .withLabels(STORAGE)
            .addNewOwnerReference()
            .withApiVersion("apps/v1")
            .withKind("DaemonSet")
            .withName("storage-agent")
            .withUid("b8d5a8f2-5a38-4c1e-9d1e-5a3f0c7d2e11")
            .withController(true)
            .endOwnerReference()
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .addNewContainer()
            .withName("agent")
            .withImage("registry.example.com/storage-agent:1.4")
            .endContainer()
            .endSpec()
            .withStatus(PodStates.starting())
            .build();
    fleet.client().resource(pod).create();
  }

  private void markReady(String name) {
    Pod pod = fleet.client().pods().inNamespace("kube-system").withName(name).get();
    pod.setStatus(PodStates.running(pod, true));
    fleet.client().resource(pod).updateStatus();
  }
}
