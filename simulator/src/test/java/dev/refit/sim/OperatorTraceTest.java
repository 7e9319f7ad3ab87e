package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OperatorTraceTest {

  /** Two policies' series of the Operator SDK's timer, as its Prometheus registry writes them. */
  private static final String METRICS =
      """
      # TYPE operator_sdk_controllers_execution_reconcile_seconds histogram
      operator_sdk_controllers_execution_reconcile_seconds_bucket{controller="osupdatepolicy",resource_name="a",le="0.001"} 10.0
      operator_sdk_controllers_execution_reconcile_seconds_bucket{controller="osupdatepolicy",resource_name="a",le="0.01"} 80.0
      operator_sdk_controllers_execution_reconcile_seconds_bucket{controller="osupdatepolicy",resource_name="a",le="0.1"} 99.0
      operator_sdk_controllers_execution_reconcile_seconds_bucket{controller="osupdatepolicy",resource_name="a",le="+Inf"} 100.0
      operator_sdk_controllers_execution_reconcile_seconds_count{controller="osupdatepolicy",resource_name="a"} 100.0
      operator_sdk_controllers_execution_reconcile_seconds_sum{controller="osupdatepolicy",resource_name="a"} 1.5
      operator_sdk_controllers_execution_reconcile_seconds_bucket{controller="osupdatepolicy",resource_name="b",le="0.001"} 0.0
      operator_sdk_controllers_execution_reconcile_seconds_bucket{controller="osupdatepolicy",resource_name="b",le="0.01"} 0.0
      operator_sdk_controllers_execution_reconcile_seconds_bucket{controller="osupdatepolicy",resource_name="b",le="0.1"} 0.0
      operator_sdk_controllers_execution_reconcile_seconds_bucket{controller="osupdatepolicy",resource_name="b",le="+Inf"} 100.0
      operator_sdk_controllers_execution_reconcile_seconds_count{controller="osupdatepolicy",resource_name="b"} 100.0
      operator_sdk_controllers_execution_reconcile_seconds_sum{controller="osupdatepolicy",resource_name="b"} 50.0
      operator_sdk_controllers_execution_reconcile_seconds_max{controller="osupdatepolicy",resource_name="b"} 0.7
      jvm_memory_used_bytes{area="heap",id="Tenured Gen"} 1000.0
      """;

  @Test
  void reconciliationsAreSummedOverEveryPolicysSeries() {
    OperatorTrace.Reconciles reconciles = OperatorTrace.Reconciles.parse(METRICS);

    assertThat(reconciles.count()).isEqualTo(200);
    assertThat(reconciles.sumSeconds()).isEqualTo(51.5);
    // 10 + 0 under 1 ms, 80 under 10 ms, 99 under 100 ms, then b's hundred slow ones
    assertThat(reconciles.atMost(0.05)).isEqualTo(0.001);
    assertThat(reconciles.atMost(0.4)).isEqualTo(0.01);
    assertThat(reconciles.atMost(0.495)).isEqualTo(0.1);
    assertThat(reconciles.atMost(0.5)).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void noReconciliationHasNoQuantile() {
    assertThat(OperatorTrace.Reconciles.parse("jvm_threads_live_threads 12.0\n").atMost(0.99))
        .isNaN();
  }
}
