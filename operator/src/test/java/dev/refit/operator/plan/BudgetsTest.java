package dev.refit.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import org.junit.jupiter.api.Test;

class BudgetsTest {

  @Test
  void percentagesOfMaxUnavailableRoundDownButNeverBelowOne() {
    assertThat(Budgets.maxUnavailable(new IntOrString("10%"), 25)).isEqualTo(2);
    assertThat(Budgets.maxUnavailable(new IntOrString("10%"), 5)).isEqualTo(1);
    assertThat(Budgets.maxUnavailable(new IntOrString("100%"), 7)).isEqualTo(7);
    assertThat(Budgets.maxUnavailable(new IntOrString(3), 100)).isEqualTo(3);
  }

  @Test
  void percentagesOfTheFailureBudgetRoundUp() {
    assertThat(Budgets.maxFailed(new IntOrString("10%"), 25)).isEqualTo(3);
    assertThat(Budgets.maxFailed(new IntOrString("1%"), 5)).isEqualTo(1);
    assertThat(Budgets.maxFailed(new IntOrString(2), 5)).isEqualTo(2);
  }

  @Test
  void aPodDisruptionBudgetThatCanNeverAllowAnEvictionIsToldApart() {
    // one replica that must stay: the classic budget no drain gets past
    assertThat(Budgets.allowedWhenAllHealthy(new IntOrString(1), null, 1)).isZero();
    assertThat(Budgets.allowedWhenAllHealthy(new IntOrString(3), null, 3)).isZero();
    assertThat(Budgets.allowedWhenAllHealthy(new IntOrString("100%"), null, 3)).isZero();
    assertThat(Budgets.allowedWhenAllHealthy(null, new IntOrString(0), 5)).isZero();
    assertThat(Budgets.allowedWhenAllHealthy(null, new IntOrString("0%"), 5)).isZero();
    // percentages round up, as the disruption controller does
    assertThat(Budgets.allowedWhenAllHealthy(new IntOrString("50%"), null, 3)).isEqualTo(1);
    assertThat(Budgets.allowedWhenAllHealthy(new IntOrString("90%"), null, 3)).isZero();
    assertThat(Budgets.allowedWhenAllHealthy(null, new IntOrString("10%"), 3)).isEqualTo(1);
    assertThat(Budgets.allowedWhenAllHealthy(new IntOrString(5), null, 6)).isEqualTo(1);
  }

  @Test
  void anUnsatisfiableBudgetIsNamedWithItsArithmetic() {
    Blocker one =
        new Blocker(
            "data/db-0", "UnsatisfiableBudget", "data/db: minAvailable 2 with 2 pods", null);
    assertThat(one.describe())
        .isEqualTo(
            "PDB data/db (pod data/db-0), which can never allow an eviction (minAvailable 2 with 2"
                + " pods)");

    Blocker two =
        new Blocker(
            "data/db-0",
            "UnsatisfiableBudget",
            "data/db: minAvailable 2 with 2 pods; data/all: maxUnavailable 0 with 9 pods",
            null);
    assertThat(two.describe())
        .isEqualTo(
            "PDB data/db (pod data/db-0), which can never allow an eviction (minAvailable 2 with 2"
                + " pods), and PDB data/all, which can never allow an eviction (maxUnavailable 0"
                + " with 9 pods)");
  }
}
