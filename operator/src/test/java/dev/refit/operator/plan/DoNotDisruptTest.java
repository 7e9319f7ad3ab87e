package dev.refit.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Drain;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DoNotDisruptTest {

  private static final Instant STARTED = Instant.parse("2026-12-06T10:00:00Z");

  private static Pod pod(String optOut) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("job-1")
            .withNamespace("shop")
            .withCreationTimestamp("2026-12-06T09:59:50Z")
            .endMetadata()
            .withNewStatus()
            .withPhase("Running")
            .withStartTime(STARTED.toString())
            .endStatus();
    if (optOut != null) {
      pod.editMetadata().withAnnotations(Map.of("refit.dev/do-not-disrupt", optOut)).endMetadata();
    }
    return pod.build();
  }

  @Test
  void trueHoldsThePodForGoodAndFalseOrNothingNotAtAll() {
    assertThat(DoNotDisrupt.of(pod("true")))
        .hasValueSatisfying(
            d -> {
              assertThat(d.holds(STARTED.plusSeconds(365L * 24 * 3600))).isTrue();
              assertThat(d.describe())
                  .isEqualTo("which opted out of disruption (refit.dev/do-not-disrupt: true)");
            });
    assertThat(DoNotDisrupt.of(pod("True"))).isPresent();
    assertThat(DoNotDisrupt.of(pod("false"))).isEmpty();
    assertThat(DoNotDisrupt.of(pod(null))).isEmpty();
  }

  @Test
  void aDurationHoldsThePodThatLongAfterItStarted() {
    DoNotDisrupt optOut = DoNotDisrupt.of(pod("1h30m")).orElseThrow();

    assertThat(optOut.until()).isEqualTo(Instant.parse("2026-12-06T11:30:00Z"));
    assertThat(optOut.holds(Instant.parse("2026-12-06T11:29:59Z"))).isTrue();
    assertThat(optOut.holds(Instant.parse("2026-12-06T11:30:00Z"))).isFalse();
    assertThat(optOut.describe())
        .isEqualTo(
            "which opted out of disruption (refit.dev/do-not-disrupt: 1h30m,"
                + " until 2026-12-06T11:30:00Z)");
    assertThat(DoNotDisrupt.of(pod("90s")).orElseThrow().until())
        .isEqualTo(STARTED.plusSeconds(90));
    assertThat(DoNotDisrupt.of(pod("2h")).orElseThrow().until())
        .isEqualTo(STARTED.plusSeconds(7200));
  }

  @Test
  void aPodWithoutAStartTimeCountsFromItsCreation() {
    Pod pending = pod("30m");
    pending.getStatus().setStartTime(null);

    assertThat(DoNotDisrupt.of(pending).orElseThrow().until())
        .isEqualTo(Instant.parse("2026-12-06T10:29:50Z"));
  }

  @Test
  void aValueThatIsNoneOfThoseHoldsThePodAndSaysWhatIsWrong() {
    for (String value : new String[] {"soon", "", "30", "1d", "-5m", "yes"}) {
      DoNotDisrupt optOut = DoNotDisrupt.of(pod(value)).orElseThrow();
      assertThat(optOut.holds(STARTED.plusSeconds(10L * 365 * 24 * 3600))).as(value).isTrue();
      assertThat(optOut.describe())
          .as(value)
          .isEqualTo(
              "which opted out of disruption (refit.dev/do-not-disrupt: "
                  + value
                  + ": neither true, false nor a duration like 90s, 30m, 2h or 1h30m; held for"
                  + " good)");
    }
  }

  @Test
  void anAbsurdlyLongDurationHoldsForGoodInsteadOfFailing() {
    assertThat(DoNotDisrupt.of(pod("99999999999999999999h")).orElseThrow().holds(STARTED)).isTrue();
    assertThat(DoNotDisrupt.of(pod("9999999999999h")).orElseThrow().holds(STARTED)).isTrue();
  }

  @Test
  void theDrainWaitsForAHeldPodAndEvictsItOnceTheOptOutEnds() {
    Drain drain = new Drain();
    Pod held = pod("90s");

    assertThat(PodFilter.judge(held, drain, STARTED.plusSeconds(89)))
        .isEqualTo(PodFilter.Verdict.WAIT_OPTED_OUT);
    assertThat(PodFilter.mustLeave(PodFilter.Verdict.WAIT_OPTED_OUT)).isTrue();
    assertThat(PodFilter.judge(held, drain, STARTED.plusSeconds(90)))
        .isEqualTo(PodFilter.Verdict.EVICT);
  }

  @Test
  void aPodTheDrainLeavesAnywayIsNotHeldEither() {
    Drain drain = new Drain();
    Pod finished = pod("true");
    finished.getStatus().setPhase("Succeeded");

    assertThat(PodFilter.judge(finished, drain, STARTED))
        .isEqualTo(PodFilter.Verdict.SKIP_FINISHED);
  }
}
