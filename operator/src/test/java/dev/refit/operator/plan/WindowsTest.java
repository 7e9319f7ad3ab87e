package dev.refit.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Blackout;
import dev.refit.api.MaintenanceWindow;
import dev.refit.api.Schedule;
import dev.refit.api.Weekday;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowsTest {

  private static MaintenanceWindow window(
      String start, String duration, String zone, Weekday... days) {
    MaintenanceWindow window = new MaintenanceWindow();
    window.setDays(List.of(days));
    window.setStart(start);
    window.setDuration(duration);
    window.setTimeZone(zone);
    return window;
  }

  private static Schedule schedule(List<MaintenanceWindow> windows, List<Blackout> blackouts) {
    Schedule schedule = new Schedule();
    schedule.setWindows(windows);
    schedule.setBlackouts(blackouts);
    return schedule;
  }

  private static Blackout blackout(String start, String end, String reason) {
    Blackout blackout = new Blackout();
    blackout.setStart(start);
    blackout.setEnd(end);
    blackout.setReason(reason);
    return blackout;
  }

  // 2026-11-28 is a Saturday.
  private static final Schedule WEEKEND_NIGHTS =
      schedule(
          List.of(window("01:00", "4h", "Europe/Berlin", Weekday.Saturday, Weekday.Sunday)),
          List.of());

  @Test
  void withoutAScheduleItIsAlwaysOpen() {
    assertThat(Windows.at(null, Instant.parse("2026-11-26T12:00:00Z")).open()).isTrue();
  }

  @Test
  void insideAWindowItIsOpenUntilTheWindowCloses() {
    Windows.State state =
        Windows.at(WEEKEND_NIGHTS, Instant.parse("2026-11-28T01:30:00Z")); // 02:30 Berlin
    assertThat(state.open()).isTrue();
    assertThat(state.nextChange()).isEqualTo(Instant.parse("2026-11-28T04:00:00Z")); // 05:00 Berlin
  }

  @Test
  void outsideAWindowItSaysWhenTheNextOneOpens() {
    Windows.State state = Windows.at(WEEKEND_NIGHTS, Instant.parse("2026-11-26T12:00:00Z"));
    assertThat(state.open()).isFalse();
    assertThat(state.nextOpen()).isEqualTo(Instant.parse("2026-11-28T00:00:00Z")); // 01:00 Berlin
    assertThat(state.reason())
        .isEqualTo(
            "outside the maintenance windows; the next window opens 2026-11-28T01:00 Europe/Berlin");
  }

  @Test
  void aWindowRunsPastMidnightIntoTheNextDay() {
    Schedule lateFriday =
        schedule(List.of(window("22:00", "4h", "UTC", Weekday.Friday)), List.of());
    assertThat(Windows.at(lateFriday, Instant.parse("2026-11-28T01:00:00Z")).open()).isTrue();
    assertThat(Windows.at(lateFriday, Instant.parse("2026-11-28T02:00:00Z")).open()).isFalse();
  }

  @Test
  void daylightSavingTimeIsFollowed() {
    // Europe/Berlin leaves summer time on 2026-10-25: Saturday 01:00 local is 23:00Z the day
    // before while summer time lasts, and 00:00Z once it has ended
    Schedule saturdays =
        schedule(List.of(window("01:00", "1h", "Europe/Berlin", Weekday.Saturday)), List.of());
    assertThat(Windows.at(saturdays, Instant.parse("2026-10-23T23:30:00Z")).open()).isTrue();
    assertThat(Windows.at(saturdays, Instant.parse("2026-10-30T23:30:00Z")).open()).isFalse();
    assertThat(Windows.at(saturdays, Instant.parse("2026-10-31T00:30:00Z")).open()).isTrue();
  }

  @Test
  void aBlackoutClosesEvenAnOpenWindowAndTheNextOpeningIsAfterIt() {
    Schedule frozen =
        schedule(
            WEEKEND_NIGHTS.getWindows(),
            List.of(blackout("2026-11-27T00:00:00Z", "2026-12-01T00:00:00Z", "Black Friday")));
    Windows.State state = Windows.at(frozen, Instant.parse("2026-11-28T01:30:00Z"));
    assertThat(state.open()).isFalse();
    assertThat(state.reason())
        .startsWith("in blackout \"Black Friday\" until 2026-12-01T00:00:00Z");
    assertThat(state.nextOpen()).isEqualTo(Instant.parse("2026-12-05T00:00:00Z"));
  }

  @Test
  void aBlackoutWithoutWindowsClosesOnlyItsOwnPeriod() {
    Schedule freeze =
        schedule(
            List.of(),
            List.of(blackout("2026-12-20T00:00:00+01:00", "2027-01-04T00:00:00+01:00", null)));
    assertThat(Windows.at(freeze, Instant.parse("2026-12-24T12:00:00Z")).open()).isFalse();
    assertThat(Windows.at(freeze, Instant.parse("2026-12-24T12:00:00Z")).nextOpen())
        .isEqualTo(Instant.parse("2027-01-03T23:00:00Z"));
    assertThat(Windows.at(freeze, Instant.parse("2027-01-05T12:00:00Z")).open()).isTrue();
  }

  @Test
  void durationsAreHoursAndMinutes() {
    assertThat(Windows.duration("1h30m")).hasMinutes(90);
    assertThat(Windows.duration("90m")).hasMinutes(90);
    assertThat(Windows.duration("4h")).hasHours(4);
  }
}
