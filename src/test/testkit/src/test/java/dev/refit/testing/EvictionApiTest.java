package dev.refit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.testing.EvictionDecision.Outcome;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EvictionApiTest {

  private static final Map<String, String> WEB = Map.of("app", "web");

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
  void anEvictionWithoutBudgetMarksThePodTerminatingInsteadOfDeletingIt() {
    TestPods.create(client, "web-1", WEB, "node-a", true);

    assertThat(client.pods().withName("web-1").evict()).isTrue();

    Pod pod = client.pods().withName("web-1").get();
    assertThat(pod.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(pod.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
    assertThat(PodStates.isReady(pod)).isFalse();
    assertThat(api.evictions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
              assertThat(d.pod()).isEqualTo("web-1");
              assertThat(d.budget()).isNull();
            });
  }

  @Test
  void theGracePeriodOfTheDeleteOptionsWinsOverThePods() {
    TestPods.create(client, "web-1", WEB, "node-a", true);
    Eviction eviction =
        new EvictionBuilder()
            .withNewMetadata()
            .withName("web-1")
            .withNamespace("default")
            .endMetadata()
            .withDeleteOptions(new DeleteOptionsBuilder().withGracePeriodSeconds(5L).build())
            .build();

    assertThat(client.pods().withName("web-1").evict(eviction)).isTrue();

    assertThat(client.pods().withName("web-1").get().getMetadata().getDeletionGracePeriodSeconds())
        .isEqualTo(5L);
  }

  @Test
  void aZeroGracePeriodDeletesThePodAtOnce() {
    TestPods.create(client, "web-1", WEB, "node-a", true);

    TestPods.Answer answer = TestPods.evict(api, "web-1", "{\"gracePeriodSeconds\":0}");

    assertThat(answer.code()).isEqualTo(201);
    assertThat(client.pods().withName("web-1").get()).isNull();
  }

  @Test
  void anEvictionThatWouldBreakTheBudgetIsRefusedWithTheApiServersTooManyRequestsStatus() {
    TestPods.create(client, "web-1", WEB, "node-a", true);
    TestPods.create(client, "web-2", WEB, "node-b", true);
    TestPods.minAvailable(client, "web-pdb", WEB, new IntOrString(2));

    TestPods.Answer answer = TestPods.evict(api, "web-1", null);

    assertThat(answer.code()).isEqualTo(429);
    Status status = Serialization.unmarshal(answer.body(), Status.class);
    assertThat(status.getKind()).isEqualTo("Status");
    assertThat(status.getApiVersion()).isEqualTo("v1");
    assertThat(status.getStatus()).isEqualTo("Failure");
    assertThat(status.getCode()).isEqualTo(429);
    assertThat(status.getReason()).isEqualTo("TooManyRequests");
    assertThat(status.getMessage())
        .isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
    assertThat(status.getDetails().getCauses())
        .singleElement()
        .satisfies(
            cause -> {
              assertThat(cause.getReason()).isEqualTo("DisruptionBudget");
              assertThat(cause.getMessage())
                  .isEqualTo(
                      "The disruption budget web-pdb needs 2 healthy pods and has 2 currently");
            });
    assertThat(client.pods().withName("web-1").get().getMetadata().getDeletionTimestamp()).isNull();
    assertThat(client.pods().withName("web-1").evict()).isFalse();
    assertThat(api.evictions())
        .extracting(EvictionDecision::outcome, EvictionDecision::budget)
        .containsOnly(org.assertj.core.groups.Tuple.tuple(Outcome.BLOCKED, "web-pdb"));
  }

  @Test
  void aPercentBudgetCountsTheControllersReplicasNotTheSurvivingPods() {
    ReplicaSet owner = TestPods.replicaSet(client, "web", 4, WEB);
    for (int i = 1; i <= 4; i++) {
      TestPods.create(client, "web-" + i, WEB, "node-a", true, owner);
    }
    // 50 % of 4 replicas, rounded up: 2 must stay healthy, so two evictions pass.
    TestPods.minAvailable(client, "web-pdb", WEB, new IntOrString("50%"));

    assertThat(client.pods().withName("web-1").evict()).isTrue();
    assertThat(client.pods().withName("web-2").evict()).isTrue();

    // No replacement exists yet; counting surviving pods would wrongly allow a third.
    TestPods.Answer third = TestPods.evict(api, "web-3", null);
    assertThat(third.code()).isEqualTo(429);
    assertThat(third.body())
        .contains("The disruption budget web-pdb needs 2 healthy pods and has 2");
  }

  @Test
  void podsWithoutAKnownControllerCountAsExpectedWhileNotTerminating() {
    for (int i = 1; i <= 4; i++) {
      TestPods.create(client, "web-" + i, WEB, "node-a", true);
    }
    TestPods.minAvailable(client, "web-pdb", WEB, new IntOrString("50%"));

    assertThat(client.pods().withName("web-1").evict()).isTrue();
    assertThat(client.pods().withName("web-2").evict()).isTrue();
    // Now 2 expected, 50 % of 2 is 1, and 2 are healthy: a bare pod's budget shrinks with it.
    assertThat(client.pods().withName("web-3").evict()).isTrue();
    assertThat(client.pods().withName("web-4").evict()).isFalse();
  }

  @Test
  void anUnhealthyPodMayBeEvictedWhileTheBudgetIsMet() {
    TestPods.create(client, "web-1", WEB, "node-a", true);
    TestPods.create(client, "web-2", WEB, "node-a", true);
    TestPods.create(client, "web-3", WEB, "node-b", false);
    TestPods.minAvailable(client, "web-pdb", WEB, new IntOrString(2));

    assertThat(client.pods().withName("web-1").evict()).isFalse();
    assertThat(client.pods().withName("web-3").evict()).isTrue();
  }

  @Test
  void twoBudgetsCoveringOnePodAreAnInternalError() {
    TestPods.create(client, "web-1", WEB, "node-a", true);
    TestPods.minAvailable(client, "web-pdb", WEB, new IntOrString(0));
    TestPods.minAvailable(client, "all-pdb", Map.of(), new IntOrString(0));

    TestPods.Answer answer = TestPods.evict(api, "web-1", null);

    assertThat(answer.code()).isEqualTo(500);
    Status status = Serialization.unmarshal(answer.body(), Status.class);
    assertThat(status.getReason()).isEqualTo("InternalError");
    assertThat(status.getMessage())
        .endsWith(
            "This pod has more than one PodDisruptionBudget, which the eviction subresource does"
                + " not support.");
    assertThat(status.getDetails().getCauses().get(0).getMessage())
        .isEqualTo(EvictionHandler.MULTIPLE_BUDGETS_MESSAGE);
    assertThat(api.evictions())
        .extracting(EvictionDecision::outcome)
        .containsExactly(Outcome.MULTIPLE_BUDGETS);
  }

  @Test
  void evictingAMissingPodAnswersNotFound() {
    TestPods.Answer answer = TestPods.evict(api, "ghost", null);

    assertThat(answer.code()).isEqualTo(404);
    Status status = Serialization.unmarshal(answer.body(), Status.class);
    assertThat(status.getReason()).isEqualTo("NotFound");
    assertThat(status.getMessage()).isEqualTo("pods \"ghost\" not found");
    assertThatThrownBy(() -> client.pods().withName("ghost").evict())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  void concurrentEvictionsCannotBothPassOneBudget() throws Exception {
    List<String> names = List.of("web-1", "web-2", "web-3", "web-4");
    for (String name : names) {
      TestPods.create(client, name, WEB, "node-a", true);
    }
    TestPods.minAvailable(client, "web-pdb", WEB, new IntOrString(3));
    ExecutorService pool = Executors.newFixedThreadPool(names.size());
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (String name : names) {
        KubernetesClient own = api.newClient();
        Callable<Boolean> evict =
            () -> {
              go.await();
              try (own) {
                return own.pods().withName(name).evict();
              }
            };
        results.add(pool.submit(evict));
      }
      go.countDown();
      int allowed = 0;
      for (Future<Boolean> result : results) {
        allowed += result.get() ? 1 : 0;
      }
      assertThat(allowed).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
