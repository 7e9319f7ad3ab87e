package dev.refit.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.MaintenanceWindow;
import dev.refit.api.Schedule;
import dev.refit.operator.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecJudgeTest {

  @Test
  void knownZonesPassAndUnknownOnesAreNamedWithTheirIndex() {
    var spec = Fixtures.policy("p", Map.of("a", "b"), "1").getSpec();
    Schedule schedule = new Schedule();
    schedule.setWindows(
        List.of(window("Europe/Berlin"), window("UTC"), window("Moon/Tranquility")));
    spec.setSchedule(schedule);

    assertThat(SpecJudge.judge(spec))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo("InvalidTimeZone");
              assertThat(p.message())
                  .startsWith("spec.schedule.windows[2].timeZone \"Moon/Tranquility\"");
            });
  }

  @Test
  void aSpecWithoutScheduleHasNoProblems() {
    assertThat(SpecJudge.judge(Fixtures.policy("p", Map.of("a", "b"), "1").getSpec())).isEmpty();
  }

  private static MaintenanceWindow window(String zone) {
    MaintenanceWindow window = new MaintenanceWindow();
    window.setTimeZone(zone);
    window.setStart("01:00");
    window.setDuration("4h");
    return window;
  }

  @Test
  void everyFieldOfTheApiIsActedOnAndOnlyAFlatcarRollbackIsRefused() {
    var spec = Fixtures.policy("p", Map.of("a", "b"), "1").getSpec();
    spec.getRollout().setCanary(new dev.refit.api.Canary());
    spec.getFailurePolicy().setAutoRollback(true);
    spec.setGates(new dev.refit.api.Gates());
    spec.getGates().setBeforeDrain(java.util.List.of("storage.example.com/ready"));
    assertThat(SpecJudge.judge(spec)).isEmpty();

    spec.getOs().setFamily(dev.refit.api.OSFamily.Flatcar);
    assertThat(SpecJudge.judge(spec))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo("InvalidSpec");
              assertThat(p.message())
                  .startsWith(
                      "spec.failurePolicy.autoRollback cannot be used with os.family Flatcar");
            });
  }
}
