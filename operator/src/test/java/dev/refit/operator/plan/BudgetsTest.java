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
}
