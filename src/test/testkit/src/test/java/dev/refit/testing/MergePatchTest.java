package dev.refit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MergePatchTest {

  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private EmbeddedKubernetes api;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    api = EmbeddedKubernetes.start();
    client = api.client();
    TestPods.create(client, "web-1", Map.of("app", "web", "tier", "front"), "node-a", true);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aMergePatchReplacesArraysInsteadOfAppendingToThem() {
    client
        .pods()
        .withName("web-1")
        .subresource("status")
        .patch(MERGE, "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}");

    Pod pod = client.pods().withName("web-1").get();
    assertThat(pod.getStatus().getConditions())
        .extracting(PodCondition::getType, PodCondition::getStatus)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Ready", "False"));
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
  }

  @Test
  void aNullInAMergePatchRemovesTheKeyAndOtherKeysStay() {
    client.pods().withName("web-1").patch(MERGE, "{\"metadata\":{\"labels\":{\"tier\":null}}}");

    assertThat(client.pods().withName("web-1").get().getMetadata().getLabels())
        .containsExactly(Map.entry("app", "web"));
  }

  @Test
  void aMergePatchWithAStaleResourceVersionConflicts() {
    String stale = client.pods().withName("web-1").get().getMetadata().getResourceVersion();
    client.pods().withName("web-1").patch(MERGE, "{\"metadata\":{\"labels\":{\"x\":\"1\"}}}");

    assertThatThrownBy(
            () ->
                client
                    .pods()
                    .withName("web-1")
                    .patch(
                        MERGE,
                        "{\"metadata\":{\"resourceVersion\":\""
                            + stale
                            + "\",\"labels\":{\"x\":\"2\"}}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void aMergePatchOfAMissingObjectIsNotFound() {
    assertThatThrownBy(() -> client.pods().withName("ghost").patch(MERGE, "{\"metadata\":{}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }
}
