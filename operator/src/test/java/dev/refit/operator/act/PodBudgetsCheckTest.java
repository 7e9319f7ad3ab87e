package dev.refit.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Drain;
import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.testing.FakeNodes;
import dev.refit.testing.FakeWorkloads;
import dev.refit.testing.HarnessTiming;
import dev.refit.testing.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One round's check of its candidates' budgets reads each namespace's budgets, and each budget's
 * pods, once for all of them: a round with many candidates asks the API server little, so one slow
 * answer is less likely to hold its starts.
 */
class PodBudgetsCheckTest {

  private EmbeddedKubernetes api;
  private FakeNodes nodes;
  private FakeWorkloads workloads;

  @BeforeEach
  void fleet() {
    api = EmbeddedKubernetes.start();
    nodes = new FakeNodes(api, HarnessTiming.fast());
    for (int i = 1; i <= 3; i++) {
      nodes.add("n-" + i);
    }
    workloads = new FakeWorkloads(api);
    // one pod of each workload per node; web's budget never allows an eviction, api's does
    workloads.define(
        Workload.named("web")
            .inNamespace("shop")
            .withReplicas(3)
            .withBudget(Workload.Budget.minAvailable(3)));
    workloads.define(
        Workload.named("api")
            .inNamespace("shop")
            .withReplicas(3)
            .withBudget(Workload.Budget.maxUnavailable(1)));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.client().pods().inNamespace("shop").list().getItems().size() == 6);
  }

  @AfterEach
  void stop() {
    workloads.close();
    nodes.close();
    api.close();
  }

  @Test
  void eachNamespacesBudgetsAndEachBudgetsPodsAreReadOncePerRound() {
    PodBudgets budgets = new PodBudgets(api.newClient("budget-check"));
    long budgetListsBefore = api.requests().count("list", "poddisruptionbudgets");
    long podListsBefore = api.requests().count("list", "pods");

    PodBudgets.Check check = budgets.check(Instant.now());
    for (int i = 1; i <= 3; i++) {
      Optional<String> undrainable = check.undrainable("n-" + i, new Drain());
      assertThat(undrainable)
          .as("n-%d", i)
          .hasValueSatisfying(
              d ->
                  assertThat(d)
                      .contains("PDB shop/web", "minAvailable 3 with 3 pods")
                      .doesNotContain("shop/api"));
    }

    assertThat(api.requests().count("list", "poddisruptionbudgets") - budgetListsBefore)
        .as("lists of the namespace's budgets")
        .isEqualTo(1);
    // one list of each node's pods, and one of each budget's pods
    assertThat(api.requests().count("list", "pods") - podListsBefore).isEqualTo(3 + 2);
  }

  @Test
  void aNewRoundReadsAgain() {
    PodBudgets budgets = new PodBudgets(api.newClient("budget-check"));
    long budgetListsBefore = api.requests().count("list", "poddisruptionbudgets");

    budgets.check(Instant.now()).undrainable("n-1", new Drain());
    budgets.check(Instant.now()).undrainable("n-1", new Drain());

    assertThat(api.requests().count("list", "poddisruptionbudgets") - budgetListsBefore)
        .isEqualTo(2);
  }
}
