package dev.refit.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.operator.plan.Blocker;
import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An eviction the API server refused with 429: named after the budget that covers the pod, and when
 * none does, not blamed on a budget (the API server also answers 429 when it throttles).
 */
class PodBudgetsRefusedTest {

  private EmbeddedKubernetes api;

  @BeforeEach
  void start() {
    api = EmbeddedKubernetes.start();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aRefusalOfAPodNoBudgetCoversIsNotBlamedOnABudget() {
    Pod pod =
        api.client()
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("cache-1")
                    .withNamespace("shop")
                    .endMetadata()
                    .withNewSpec()
                    .withNodeName("n-1")
                    .addNewContainer()
                    .withName("cache")
                    .withImage("registry.example.com/cache:1")
                    .endContainer()
                    .endSpec()
                    .build())
            .create();

    Blocker blocker = new PodBudgets(api.client()).refused(pod, Instant.now());

    assertThat(blocker.describe())
        .isEqualTo(
            "pod shop/cache-1 (eviction answered 429 Too Many Requests, and no PDB covers the pod:"
                + " the API server throttling, or a budget deleted since; retrying)")
        .doesNotContain("PDB unknown");
  }
}
