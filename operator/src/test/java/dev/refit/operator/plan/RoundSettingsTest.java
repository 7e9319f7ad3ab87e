package dev.refit.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.operator.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The phase timeouts of a round come from the policy's spec, each from its own field. */
class RoundSettingsTest {

  private static final Windows.State OPEN = new Windows.State(true, null, null, null);

  @Test
  void everyPhaseTimeoutIsTakenFromItsField() {
    OSUpdatePolicySpec spec =
        Fixtures.policy("workers", Map.of("pool", "workers"), "41.20250101.3.0").getSpec();
    spec.getRollout().setStageTimeoutSeconds(120);
    spec.getDrain().setTimeoutSeconds(300);
    spec.getHealthCheck().setRebootTimeoutSeconds(400);
    spec.getHealthCheck().setReadyTimeoutSeconds(500);

    var timeouts = RoundSettings.of(spec, 3, List.of(), OPEN, null).timeouts();

    assertThat(timeouts.stage()).isEqualTo(Duration.ofSeconds(120));
    assertThat(timeouts.drain()).isEqualTo(Duration.ofSeconds(300));
    assertThat(timeouts.reboot()).isEqualTo(Duration.ofSeconds(400));
    assertThat(timeouts.ready()).isEqualTo(Duration.ofSeconds(500));
  }

  @Test
  void aStagingAttemptMayTakeAnHourByDefault() {
    OSUpdatePolicySpec spec = new OSUpdatePolicySpec();
    assertThat(RoundSettings.of(spec, 3, List.of(), OPEN, null).timeouts().stage())
        .isEqualTo(Duration.ofHours(1));
  }
}
