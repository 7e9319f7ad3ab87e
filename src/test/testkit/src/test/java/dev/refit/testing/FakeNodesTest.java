package dev.refit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeNodesTest {

  private static final Duration PATIENCE = Duration.ofSeconds(5);
  private static final HarnessTiming TIMING =
      HarnessTiming.fast().withRebootDownMillis(400).withRebootReadyMillis(200);

  private EmbeddedKubernetes api;
  private KubernetesClient client;
  private FakeNodes nodes;

  @BeforeEach
  void start() {
    api = EmbeddedKubernetes.start();
    client = api.client();
    nodes = new FakeNodes(api, TIMING);
  }

  @AfterEach
  void stop() {
    nodes.close();
    api.close();
  }

  @Test
  void anAddedNodeIsReadyWithABootIdAndADaemonSetPod() {
    nodes.add("worker-1", Map.of("pool", "blue"));

    Node node = client.nodes().withName("worker-1").get();
    assertThat(node.getMetadata().getLabels())
        .containsEntry("pool", "blue")
        .containsEntry("kubernetes.io/hostname", "worker-1");
    assertThat(ready(node)).isEqualTo("True");
    assertThat(node.getStatus().getNodeInfo().getBootID())
        .isEqualTo(nodes.bootId("worker-1"))
        .matches("[0-9a-f-]{36}");
    assertThat(node.getStatus().getNodeInfo().getOsImage()).isNotBlank();
    assertThat(node.getStatus().getAllocatable()).containsKey("pods");
    assertThat(node.getSpec().getUnschedulable()).isNull();

    DaemonSet daemonSet =
        client.apps().daemonSets().inNamespace("kube-system").withName("kube-proxy").get();
    Pod pod = onlyPodOn("worker-1");
    assertThat(pod.getMetadata().getNamespace()).isEqualTo("kube-system");
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner -> {
              assertThat(owner.getKind()).isEqualTo("DaemonSet");
              assertThat(owner.getController()).isTrue();
              assertThat(owner.getUid()).isEqualTo(daemonSet.getMetadata().getUid());
            });
    assertThat(PodStates.isReady(pod)).isTrue();
  }

  @Test
  void aRebootGoesUnknownThenReportsANewBootIdAndTurnsReadyAgain() {
    nodes.add("worker-1");
    String bootBefore = nodes.bootId("worker-1");
    List<String> states = new CopyOnWriteArrayList<>();
    SharedIndexInformer<Node> informer = recordReadiness(states);
    try {
      assertThat(nodes.reboot("worker-1")).isTrue();

      assertThat(ready(client.nodes().withName("worker-1").get())).isEqualTo("Unknown");
      assertThat(PodStates.isReady(onlyPodOn("worker-1"))).isFalse();
      String bootAfter = awaitReady("worker-1");
      assertThat(bootAfter).isNotEqualTo(bootBefore).isEqualTo(nodes.bootId("worker-1"));
      await().atMost(PATIENCE).until(() -> PodStates.isReady(onlyPodOn("worker-1")));
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(states)
                      .containsSubsequence(
                          "True " + bootBefore,
                          "Unknown " + bootBefore,
                          "False " + bootAfter,
                          "True " + bootAfter));
    } finally {
      informer.close();
    }
  }

  @Test
  void aRebootLeavesTheOperatorsCordonAndAnnotationsAlone() {
    nodes.add("worker-1");
    client
        .nodes()
        .withName("worker-1")
        .edit(
            n -> {
              n.getSpec().setUnschedulable(true);
              n.getMetadata().setAnnotations(Map.of("refit.dev/phase", "rebooting"));
              return n;
            });

    nodes.reboot("worker-1");
    awaitReady("worker-1");

    Node node = client.nodes().withName("worker-1").get();
    assertThat(node.getSpec().getUnschedulable()).isTrue();
    assertThat(node.getMetadata().getAnnotations()).containsEntry("refit.dev/phase", "rebooting");
  }

  @Test
  void aNodeThatNeverGetsReadyRebootsButStaysNotReady() {
    nodes.add("worker-1");
    String bootBefore = nodes.bootId("worker-1");
    nodes.inject("worker-1", NodeFault.NEVER_READY);

    nodes.reboot("worker-1");

    await()
        .atMost(PATIENCE)
        .until(() -> !bootId(client.nodes().withName("worker-1").get()).equals(bootBefore));
    await()
        .during(Duration.ofMillis(3 * TIMING.rebootReadyMillis()))
        .atMost(PATIENCE)
        .until(() -> !"True".equals(ready(client.nodes().withName("worker-1").get())));
  }

  @Test
  void aNodeThatNeverRebootsIgnoresTheRequest() {
    nodes.add("worker-1");
    String bootBefore = nodes.bootId("worker-1");
    nodes.inject("worker-1", NodeFault.NEVER_REBOOT);

    assertThat(nodes.reboot("worker-1")).isFalse();

    await()
        .during(Duration.ofMillis(TIMING.rebootDownMillis() + TIMING.rebootReadyMillis()))
        .atMost(PATIENCE)
        .until(
            () -> {
              Node node = client.nodes().withName("worker-1").get();
              return "True".equals(ready(node)) && bootId(node).equals(bootBefore);
            });
  }

  @Test
  void setReadyTurnsTheNodeAndItsPodsNotReadyAndBack() {
    nodes.add("worker-1");

    nodes.setReady("worker-1", false);
    assertThat(ready(client.nodes().withName("worker-1").get())).isEqualTo("False");
    assertThat(PodStates.isReady(onlyPodOn("worker-1"))).isFalse();

    nodes.setReady("worker-1", true);
    assertThat(ready(client.nodes().withName("worker-1").get())).isEqualTo("True");
    assertThat(PodStates.isReady(onlyPodOn("worker-1"))).isTrue();
  }

  @Test
  void theKubeletRemovesATerminatingPodAfterItsScaledGracePeriod() {
    nodes.add("worker-1");
    TestPods.create(client, "web-1", Map.of("app", "web"), "worker-1", true); // 30 s grace
    long evicted = System.nanoTime();

    assertThat(client.pods().withName("web-1").evict()).isTrue();

    await().atMost(PATIENCE).until(() -> client.pods().withName("web-1").get() == null);
    long tookMillis = (System.nanoTime() - evicted) / 1_000_000;
    assertThat(tookMillis).isGreaterThanOrEqualTo(TIMING.scaledMillis(30) - 50);
  }

  @Test
  void anAnnotationOverridesTheGracePeriod() {
    nodes.add("worker-1");
    TestPods.create(client, "slow", Map.of("app", "slow"), "worker-1", true);
    client
        .pods()
        .withName("slow")
        .edit(
            p -> {
              p.getSpec().setTerminationGracePeriodSeconds(3600L);
              p.getMetadata()
                  .setAnnotations(Map.of(HarnessTiming.TERMINATION_MILLIS_ANNOTATION, "100"));
              return p;
            });

    assertThat(client.pods().withName("slow").evict()).isTrue();

    await().atMost(PATIENCE).until(() -> client.pods().withName("slow").get() == null);
  }

  @Test
  void removingANodeDeletesItAndThePodsBoundToIt() {
    nodes.add("worker-1");
    nodes.add("worker-2");
    TestPods.create(client, "web-1", Map.of("app", "web"), "worker-1", true);

    nodes.remove("worker-1");

    assertThat(client.nodes().withName("worker-1").get()).isNull();
    assertThat(
            client.pods().inAnyNamespace().withField("spec.nodeName", "worker-1").list().getItems())
        .isEmpty();
    assertThat(onlyPodOn("worker-2")).isNotNull();
    assertThat(nodes.names()).containsExactly("worker-2");
  }

  private SharedIndexInformer<Node> recordReadiness(List<String> states) {
    return client
        .nodes()
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(Node node) {
                states.add(ready(node) + " " + bootId(node));
              }

              @Override
              public void onUpdate(Node oldNode, Node newNode) {
                states.add(ready(newNode) + " " + bootId(newNode));
              }

              @Override
              public void onDelete(Node node, boolean deletedFinalStateUnknown) {}
            });
  }

  /** Waits until the node is Ready and returns its boot ID then. */
  private String awaitReady(String name) {
    await().atMost(PATIENCE).until(() -> "True".equals(ready(client.nodes().withName(name).get())));
    return bootId(client.nodes().withName(name).get());
  }

  private Pod onlyPodOn(String node) {
    List<Pod> pods =
        client.pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems();
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  private static String ready(Node node) {
    return node.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(NodeCondition::getStatus)
        .findFirst()
        .orElseThrow();
  }

  private static String bootId(Node node) {
    return node.getStatus().getNodeInfo().getBootID();
  }
}
