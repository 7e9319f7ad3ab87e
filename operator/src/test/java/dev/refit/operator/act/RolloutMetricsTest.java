package dev.refit.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the rollout's meters read, as the dashboard and the alerts read them. */
class RolloutMetricsTest {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final RolloutMetrics metrics = new RolloutMetrics(registry);

  @Test
  void theLongestBlockedDrainIsTheLongestOfTheCurrentBlocksWhileTheTotalAddsThemUp() {
    metrics.drainsBlocked(
        "web", List.of(Duration.ofMinutes(20), Duration.ofMinutes(20), Duration.ofMinutes(5)));

    assertThat(gauge("refit.drain.blocked.longest.seconds", "web")).isEqualTo(1200);
    assertThat(gauge("refit.drain.blocked.seconds", "web")).isEqualTo(2700);
  }

  @Test
  void bothDrainGaugesFallToZeroOnceNoDrainIsBlocked() {
    metrics.drainsBlocked("web", List.of(Duration.ofMinutes(31)));
    metrics.drainsBlocked("web", List.of());

    assertThat(gauge("refit.drain.blocked.longest.seconds", "web")).isZero();
    assertThat(gauge("refit.drain.blocked.seconds", "web")).isZero();
  }

  @Test
  void eachPolicyHasItsOwnDrainGauges() {
    metrics.drainsBlocked("web", List.of(Duration.ofMinutes(40)));
    metrics.drainsBlocked("db", List.of(Duration.ofMinutes(2)));

    assertThat(gauge("refit.drain.blocked.longest.seconds", "web")).isEqualTo(2400);
    assertThat(gauge("refit.drain.blocked.longest.seconds", "db")).isEqualTo(120);
  }

  @Test
  void aPolicyThatIsGoneLeavesNoSeriesAndAnotherKeepsItsOwn() {
    new PolicyMetrics(registry).reconciled("web");
    metrics.nodes("web", Map.of(NodeState.Draining, 1));
    metrics.halted("web", true);
    metrics.drainsBlocked("web", List.of(Duration.ofMinutes(40)));
    metrics.phase("web", RolloutMetrics.Phase.drain, Duration.ofSeconds(30));
    metrics.halted("db", true);

    metrics.forget("web");

    assertThat(registry.find("refit.rollout.halted").tag("policy", "db").gauge()).isNotNull();
    assertThat(registry.getMeters())
        .noneMatch(m -> "web".equals(m.getId().getTag("policy")))
        .isNotEmpty();
    // created again under the same name: its gauges work from zero
    metrics.halted("web", true);
    assertThat(gauge("refit.rollout.halted", "web")).isEqualTo(1);
  }

  @Test
  void aPolicysFailureCounterIsThereAtZeroBeforeItsFirstNodeEnds() {
    metrics.nodes("web", Map.of(NodeState.Pending, 3));

    Counter failed =
        registry.find("refit.node.updates").tag("policy", "web").tag("outcome", "failed").counter();
    assertThat(failed).isNotNull();
    assertThat(failed.count()).isZero();
  }

  @Test
  void aTenMinuteRebootLandsInABucketThatTellsItFromAFiveMinuteOne() {
    metrics.phase("web", RolloutMetrics.Phase.reboot, Duration.ofMinutes(7));

    Timer timer = registry.find("refit.phase.duration").tag("phase", "reboot").timer();
    Map<Double, Double> buckets = new java.util.TreeMap<>();
    Arrays.stream(timer.takeSnapshot().histogramCounts())
        .forEach((CountAtBucket b) -> buckets.put(b.bucket(TimeUnit.SECONDS), b.count()));
    assertThat(buckets).containsEntry(300.0, 0.0).containsEntry(600.0, 1.0);
  }

  private double gauge(String name, String policy) {
    return registry.get(name).tag("policy", policy).gauge().value();
  }
}
