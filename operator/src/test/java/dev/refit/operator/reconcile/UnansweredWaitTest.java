package dev.refit.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnansweredWaitTest {

  @Test
  void roundsWhoseStartsWentUnansweredAskAgainSoonThenLessOften() {
    assertThat(PolicyReconciler.unansweredWait(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(PolicyReconciler.unansweredWait(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(PolicyReconciler.unansweredWait(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(PolicyReconciler.unansweredWait(5)).isEqualTo(PolicyReconciler.UNANSWERED_MAX);
    assertThat(PolicyReconciler.unansweredWait(1_000)).isEqualTo(PolicyReconciler.UNANSWERED_MAX);
  }
}
