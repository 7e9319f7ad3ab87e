package dev.refit.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A node's pod watch survives API errors, including on its very first list. */
class NodePodsTest {

  final EmbeddedKubernetes api = EmbeddedKubernetes.start();
  final KubernetesClient operator = api.newClient("refit-operator/node-pods-test");
  final Set<String> changes = ConcurrentHashMap.newKeySet();
  final NodePods pods = new NodePods(operator, (policy, node) -> changes.add(node));

  @AfterEach
  void stop() {
    pods.close();
    operator.close();
    api.close();
  }

  @Test
  void aWatchWhoseFirstListFailsRetriesAndThenSeesTheNodesPods() throws Exception {
    api.faults().failRandomly(1.0, "refit-operator/node-pods-test");
    pods.watch("workers", "worker-1");
    Thread.sleep(1500); // the first list and the client's own retries have all failed by now
    api.faults().stop();
    api.client().pods().resource(pod("web-1", "worker-1")).create();

    await(() -> pods.synced("worker-1") && pods.pods("worker-1").size() == 1);
    assertThat(pods.pods("worker-1"))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("web-1");
    assertThat(changes).contains("worker-1");
  }

  private static Pod pod(String name, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("shop")
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("app")
        .withImage("registry.example.com/web:1.0")
        .endContainer()
        .endSpec()
        .build();
  }

  private static void await(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
