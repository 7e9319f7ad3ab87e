package dev.refit.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Drain;
import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A budget is judged by the workload it protects, not by the pods that happen to exist while one is
 * replaced: cart runs 4 pods under {@code minAvailable: 3}, which allows one eviction. Just after
 * an eviction the evicted pod is terminating and its controller has not yet created the new one;
 * the budget must not then look like one that can never allow an eviction (3 with 3), which would
 * fail the next node for good and halt the rollout.
 */
class PodBudgetsReplacementTest {

  private EmbeddedKubernetes api;
  private KubernetesClient client;

  @BeforeEach
  void cartWithFourPods() {
    api = EmbeddedKubernetes.start();
    client = api.client();
    for (int i = 1; i <= 4; i++) {
      client
          .pods()
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName("cart-" + i)
                  .withNamespace("shop")
                  .withLabels(Map.of("app", "cart"))
                  .withFinalizers(i == 1 ? List.of("example.com/hold") : List.of())
                  .addNewOwnerReference()
                  .withApiVersion("apps/v1")
                  .withKind("ReplicaSet")
                  .withName("cart-5d8f")
                  .withUid("00000000-0000-0000-0000-00000000000" + i)
                  .withController(true)
                  .endOwnerReference()
                  .endMetadata()
                  .withNewSpec()
                  .withNodeName("n-" + i)
                  .addNewContainer()
                  .withName("cart")
                  .withImage("registry.example.com/cart:1")
                  .endContainer()
                  .endSpec()
                  .withNewStatus()
                  .withPhase("Running")
                  .endStatus()
                  .build())
          .create();
    }
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private void budget(Integer expectedPods) {
    PodDisruptionBudget budget =
        new PodDisruptionBudgetBuilder()
            .withNewMetadata()
            .withName("cart")
            .withNamespace("shop")
            .endMetadata()
            .withNewSpec()
            .withMinAvailable(new IntOrString(3))
            .withNewSelector()
            .withMatchLabels(Map.of("app", "cart"))
            .endSelector()
            .endSpec()
            .build();
    if (expectedPods != null) {
      budget.setStatus(
          new PodDisruptionBudgetStatusBuilder()
              .withExpectedPods(expectedPods)
              .withCurrentHealthy(3)
              .withDesiredHealthy(3)
              .withDisruptionsAllowed(0)
              .build());
    }
    client.resource(budget).create();
  }

  private static Pod pod(KubernetesClient client, String name) {
    return client.pods().inNamespace("shop").withName(name).get();
  }

  @Test
  void aPodTerminatingBeforeItsReplacementExistsStillCountsForItsBudget() {
    budget(null);
    // the eviction of cart-1: it terminates (its finalizer holds it), no replacement yet
    client.pods().inNamespace("shop").withName("cart-1").delete();
    assertThat(pod(client, "cart-1").getMetadata().getDeletionTimestamp()).isNotNull();

    PodBudgets.Check check = new PodBudgets(client).check(Instant.now());

    assertThat(check.undrainable("n-2", new Drain())).isEmpty();
  }

  @Test
  void aPodAlreadyGoneBeforeItsReplacementExistsCountsThroughTheBudgetsExpectedPods() {
    // the disruption controller last counted 4 pods; one of them is gone, its replacement not yet
    // created
    budget(4);
    client.pods().inNamespace("shop").withName("cart-4").delete();

    PodBudgets.Check check = new PodBudgets(client).check(Instant.now());

    assertThat(check.undrainable("n-2", new Drain())).isEmpty();
  }

  @Test
  void aBudgetThatAllowsNoEvictionAtItsWorkloadsFullSizeIsStillNamed() {
    budget(3);
    client.pods().inNamespace("shop").withName("cart-4").delete();

    PodBudgets.Check check = new PodBudgets(client).check(Instant.now());

    assertThat(check.undrainable("n-2", new Drain()))
        .hasValueSatisfying(d -> assertThat(d).contains("PDB shop/cart", "minAvailable 3 with 3"));
  }
}
