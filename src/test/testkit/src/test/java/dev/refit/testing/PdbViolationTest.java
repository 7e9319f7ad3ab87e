package dev.refit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PdbViolationTest {

  private static final Map<String, String> WEB = Map.of("app", "web");

  private EmbeddedKubernetes api;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    api = EmbeddedKubernetes.start();
    client = api.client();
    TestPods.create(client, "web-1", WEB, "node-a", true);
    TestPods.create(client, "web-2", WEB, "node-a", true);
    TestPods.create(client, "web-3", WEB, "node-b", true);
    TestPods.minAvailable(client, "web-pdb", WEB, new IntOrString(2));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aDirectDeleteThatBreaksTheBudgetIsRecordedAsAViolation() {
    client.pods().withName("web-1").delete(); // 3 -> 2 healthy: still within the budget
    assertThat(api.pdbViolations()).isEmpty();

    client.pods().withName("web-2").delete(); // 2 -> 1 healthy, the budget needs 2

    assertThat(api.pdbViolations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.namespace()).isEqualTo("default");
              assertThat(v.budget()).isEqualTo("web-pdb");
              assertThat(v.pod()).isEqualTo("web-2");
              assertThat(v.desiredHealthy()).isEqualTo(2);
              assertThat(v.healthyAfter()).isEqualTo(1);
              assertThat(v.time()).isNotNull();
            });
  }

  @Test
  void aForceDrainByDeleteCollectionRecordsEveryPodItTakesBelowTheBudget() {
    client.pods().withField("spec.nodeName", "node-a").delete();

    assertThat(api.pdbViolations()).extracting(PdbViolation::pod).hasSize(1);
  }

  @Test
  void thePodsOfANodeThatLeftTheClusterGoWithoutAViolation() {
    client.nodes().resource(NodeObjects.node("node-a", Map.of(), "boot-1", 0)).create();
    client.nodes().withName("node-a").delete();

    // the pod garbage collector's part: an involuntary disruption, which budgets do not govern
    client.pods().withField("spec.nodeName", "node-a").delete();

    assertThat(api.pdbViolations()).isEmpty();
  }

  @Test
  void aNodeBackUnderTheSameNameHasItsPodsJudgedAgain() {
    client.nodes().resource(NodeObjects.node("node-a", Map.of(), "boot-1", 0)).create();
    client.nodes().withName("node-a").delete();
    client.nodes().resource(NodeObjects.node("node-a", Map.of(), "boot-2", 0)).create();

    client.pods().withField("spec.nodeName", "node-a").delete();

    assertThat(api.pdbViolations()).extracting(PdbViolation::pod).hasSize(1);
  }

  @Test
  void allowedEvictionsAreNeverViolations() {
    assertThat(client.pods().withName("web-1").evict()).isTrue();
    assertThat(client.pods().withName("web-2").evict()).isFalse();

    assertThat(api.pdbViolations()).isEmpty();
  }

  @Test
  void removingAnAlreadyTerminatingPodIsNoViolation() {
    assertThat(client.pods().withName("web-1").evict()).isTrue();

    // What the kubelet does at the end of the grace period.
    client.pods().withName("web-1").delete();

    assertThat(api.pdbViolations()).isEmpty();
  }

  @Test
  void deletingPodsNoBudgetCoversIsNoViolation() {
    TestPods.create(client, "db-1", Map.of("app", "db"), "node-a", true);

    client.pods().withName("db-1").delete();

    assertThat(api.pdbViolations()).isEmpty();
  }
}
