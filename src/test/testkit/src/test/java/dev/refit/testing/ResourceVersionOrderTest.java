package dev.refit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded API numbers every write of every kind from one counter, as etcd's revision does: the
 * invariants order a pod's binding against a Node's boot by their resourceVersions
 * (invariants.SeenNodes#boundAfter), whichever watch delivered first.
 */
class ResourceVersionOrderTest {

  private EmbeddedKubernetes api;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    api = EmbeddedKubernetes.start();
    client = api.client();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void writesOfNodesAndPodsAreNumberedInTheOrderTheyLanded() {
    Node node =
        client
            .nodes()
            .resource(new NodeBuilder().withNewMetadata().withName("n").endMetadata().build())
            .create();
    HasMetadata before = TestPods.create(client, "before", Map.of("app", "web"), "n", true);
    Node booted =
        client
            .nodes()
            .withName("n")
            .subresource("status")
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"status\":{\"nodeInfo\":{\"bootID\":\"boot-2\"}}}");
    HasMetadata after = TestPods.create(client, "after", Map.of("app", "web"), "n", true);

    assertThat(List.of(node, before, booted, after))
        .extracting(o -> Long.parseLong(o.getMetadata().getResourceVersion()))
        .isSorted()
        .doesNotHaveDuplicates();
  }
}
