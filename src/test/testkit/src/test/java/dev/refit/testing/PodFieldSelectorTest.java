package dev.refit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PodFieldSelectorTest {

  private static final Map<String, String> WEB = Map.of("app", "web");

  private EmbeddedKubernetes api;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    api = EmbeddedKubernetes.start();
    client = api.client();
    TestPods.create(client, "a-1", WEB, "node-a", true);
    TestPods.create(client, "a-2", Map.of("app", "db"), "node-a", true);
    TestPods.create(client, "b-1", WEB, "node-b", true);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void listingByNodeNameReturnsOnlyThatNodesPodsWithoutSyntheticLabels() {
    List<Pod> pods = client.pods().withField("spec.nodeName", "node-a").list().getItems();

    assertThat(pods)
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("a-1", "a-2");
    assertThat(pods)
        .allSatisfy(
            p ->
                assertThat(p.getMetadata().getLabels())
                    .doesNotContainKey("field.harness.refit.dev/spec.nodeName"));
    assertThat(
            client.pods().inAnyNamespace().withField("spec.nodeName", "node-b").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("b-1");
  }

  @Test
  void fieldAndLabelSelectorsCombine() {
    assertThat(client.pods().withField("spec.nodeName", "node-a").withLabels(WEB).list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("a-1");
    assertThat(client.pods().withoutField("spec.nodeName", "node-a").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("b-1");
  }

  @Test
  void metadataNameSelectorsKeepWorking() {
    assertThat(client.pods().withField("metadata.name", "b-1").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("b-1");
    assertThat(
            client
                .pods()
                .withField("metadata.name", "b-1")
                .withField("spec.nodeName", "node-a")
                .list()
                .getItems())
        .isEmpty();
  }

  @Test
  void aWatchByNodeNameSeesOnlyThatNodesPods() {
    List<String> seen = new CopyOnWriteArrayList<>();
    Watch watch =
        client
            .pods()
            .withField("spec.nodeName", "node-b")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    seen.add(action + " " + pod.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    try {
      TestPods.create(client, "a-3", WEB, "node-a", true);
      TestPods.create(client, "b-2", WEB, "node-b", true);
      client.pods().withName("b-1").delete();

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> assertThat(seen).containsExactly("ADDED b-1", "ADDED b-2", "DELETED b-1"));
    } finally {
      watch.close();
    }
  }

  @Test
  void anInformerByNodeNameFollowsPodsOntoAndOffTheNode() {
    Set<String> cached = ConcurrentHashMap.newKeySet();
    SharedIndexInformer<Pod> informer =
        client
            .pods()
            .inAnyNamespace()
            .withField("spec.nodeName", "node-a")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    cached.add(pod.getMetadata().getName());
                  }

                  @Override
                  public void onUpdate(Pod oldPod, Pod newPod) {}

                  @Override
                  public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                    cached.remove(pod.getMetadata().getName());
                  }
                });
    try (informer) {
      // inform() returns once the store is synced; handlers are called asynchronously.
      assertThat(informer.getStore().listKeys())
          .containsExactlyInAnyOrder("default/a-1", "default/a-2");
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(cached).containsExactlyInAnyOrder("a-1", "a-2"));
      TestPods.create(client, "a-3", WEB, "node-a", true);
      TestPods.create(client, "b-2", WEB, "node-b", true);
      client.pods().withName("a-1").delete();

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(cached).containsExactlyInAnyOrder("a-2", "a-3"));
      assertThat(informer.getStore().list())
          .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("node-a"));
    }
  }

  @Test
  void deleteCollectionByNodeNameDeletesOnlyThatNodesPods() {
    client.pods().withField("spec.nodeName", "node-a").delete();

    assertThat(client.pods().list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("b-1");
  }

  @Test
  void podsWithoutANodeMatchAnEmptyNodeName() {
    client
        .pods()
        .resource(
            new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata()
                .withName("pending")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("x")
                .endContainer()
                .endSpec()
                .build())
        .create();

    assertThat(client.pods().withField("spec.nodeName", "").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("pending");
  }

  @Test
  void podsFollowAChangeOfPhase() {
    client
        .pods()
        .withName("b-1")
        .editStatus(
            p -> {
              p.getStatus().setPhase("Succeeded");
              return p;
            });

    assertThat(client.pods().withField("status.phase", "Running").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("a-1", "a-2");
    assertThat(client.pods().withField("status.phase", "Succeeded").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("b-1");
  }
}
