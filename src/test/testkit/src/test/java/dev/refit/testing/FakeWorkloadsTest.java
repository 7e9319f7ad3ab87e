package dev.refit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.refit.testing.EvictionDecision.Outcome;
import dev.refit.testing.Workload.Budget;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeWorkloadsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(5);
  private static final Map<String, String> BLUE = Map.of("pool", "blue");

  private EmbeddedKubernetes api;
  private KubernetesClient client;
  private FakeNodes nodes;
  private FakeWorkloads workloads;

  @BeforeEach
  void start() {
    api = EmbeddedKubernetes.start();
    client = api.client();
    nodes = new FakeNodes(api, HarnessTiming.fast());
    workloads = new FakeWorkloads(api);
  }

  @AfterEach
  void stop() {
    workloads.close();
    nodes.close();
    api.close();
  }

  @Test
  void aWorkloadSpreadsReadyPodsRoundRobinOverTheMatchingNodes() {
    nodes.add("a", BLUE);
    nodes.add("b", BLUE);
    nodes.add("c", Map.of("pool", "green"));

    workloads.define(
        Workload.named("web")
            .withReplicas(4)
            .withNodeSelector(BLUE)
            .withBudget(Budget.maxUnavailable("25%"))
            .withEmptyDir(true));

    List<Pod> pods = workloads.pods("default", "web");
    assertThat(pods).hasSize(4).allSatisfy(p -> assertThat(PodStates.isReady(p)).isTrue());
    assertThat(pods).extracting(p -> p.getSpec().getNodeName()).containsOnly("a", "b");
    assertThat(pods.stream().filter(p -> p.getSpec().getNodeName().equals("a"))).hasSize(2);
    assertThat(pods.get(0).getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("ReplicaSet");
              assertThat(o.getController()).isTrue();
            });
    assertThat(pods.get(0).getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
    PodDisruptionBudget budget =
        client.policy().v1().podDisruptionBudget().inNamespace("default").withName("web").get();
    assertThat(budget.getSpec().getMaxUnavailable().getStrVal()).isEqualTo("25%");
    assertThat(budget.getSpec().getSelector().getMatchLabels()).containsEntry("app", "web");
  }

  @Test
  void aReplacementLandsOnlyOnAReadySchedulableMatchingNode() {
    for (String name : List.of("a", "b", "c", "d")) {
      nodes.add(name, BLUE);
    }
    nodes.add("e", Map.of("pool", "green"));
    workloads.define(
        Workload.named("web").withReplicas(2).withNodeSelector(BLUE).withStartDelayMillis(500));
    // Drain "a"; "c" is cordoned too and "d" is down: only "b" fits (green "e" does not match).
    cordon("a");
    cordon("c");
    nodes.setReady("d", false);
    Pod onA = podOn("web", "a");
    List<String> known = podNames("web");

    assertThat(client.pods().resource(onA).evict()).isTrue();

    Pod replacement = awaitNewPod("web", known);
    assertThat(replacement.getSpec().getNodeName()).isEqualTo("b");
    assertThat(PodStates.isReady(replacement)).isFalse();
    await().atMost(PATIENCE).until(() -> PodStates.isReady(client.resource(replacement).get()));
  }

  @Test
  void aBlockedEvictionSucceedsOnceTheReplacementIsReady() {
    nodes.add("a");
    nodes.add("b");
    nodes.add("c");
    workloads.define(
        Workload.named("web")
            .withReplicas(3)
            .withBudget(Budget.minAvailable(2))
            .withStartDelayMillis(800));
    List<Pod> pods = workloads.pods("default", "web");
    List<String> known = podNames("web");

    assertThat(client.pods().resource(pods.get(0)).evict()).isTrue();
    Pod replacement = awaitNewPod("web", known);
    assertThat(client.pods().resource(pods.get(1)).evict()).isFalse();

    await().atMost(PATIENCE).until(() -> client.pods().resource(pods.get(1)).evict());
    assertThat(PodStates.isReady(client.resource(replacement).get())).isTrue();
    assertThat(api.evictions())
        .filteredOn(d -> d.pod().equals(pods.get(1).getMetadata().getName()))
        .extracting(EvictionDecision::outcome)
        .startsWith(Outcome.BLOCKED)
        .endsWith(Outcome.ALLOWED);
    assertThat(api.pdbViolations()).isEmpty();
  }

  @Test
  void aReplacementThatFitsNowhereWaitsPendingUntilANodeFits() {
    nodes.add("a", BLUE);
    workloads.define(Workload.named("web").withNodeSelector(BLUE));
    cordon("a");
    Pod original = podOn("web", "a");
    List<String> known = podNames("web");

    assertThat(client.pods().resource(original).evict()).isTrue();

    Pod pending = awaitNewPod("web", known);
    assertThat(pending.getSpec().getNodeName()).isNull();
    assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");

    nodes.add("b", BLUE);

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              Pod placed = client.resource(pending).get();
              assertThat(placed.getSpec().getNodeName()).isEqualTo("b");
              assertThat(PodStates.isReady(placed)).isTrue();
            });
  }

  @Test
  void removingAWorkloadDeletesItsBudgetPodsAndReplicaSet() {
    nodes.add("a");
    workloads.define(Workload.named("web").withReplicas(2).withBudget(Budget.minAvailable(1)));

    workloads.remove("default", "web");

    assertThat(client.pods().withLabel("app", "web").list().getItems()).isEmpty();
    assertThat(client.policy().v1().podDisruptionBudget().withName("web").get()).isNull();
    assertThat(client.apps().replicaSets().withName("web").get()).isNull();
    assertThat(api.pdbViolations()).isEmpty();
  }

  private void cordon(String node) {
    client
        .nodes()
        .withName(node)
        .edit(
            n -> {
              n.getSpec().setUnschedulable(true);
              return n;
            });
  }

  private Pod podOn(String workload, String node) {
    return workloads.pods("default", workload).stream()
        .filter(p -> node.equals(p.getSpec().getNodeName()))
        .findFirst()
        .orElseThrow();
  }

  private List<String> podNames(String workload) {
    return workloads.pods("default", workload).stream()
        .map(p -> p.getMetadata().getName())
        .toList();
  }

  /** Waits for a pod of the workload that is not among {@code known}. */
  private Pod awaitNewPod(String workload, List<String> known) {
    // Poll fast: callers check the new pod before its start delay ends.
    return await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                workloads.pods("default", workload).stream()
                    .filter(p -> !known.contains(p.getMetadata().getName()))
                    .findFirst()
                    .orElse(null),
            p -> p != null);
  }
}
