package dev.refit.operator.plan;

import dev.refit.api.Blackout;
import dev.refit.api.MaintenanceWindow;
import dev.refit.api.Patterns;
import dev.refit.api.Schedule;
import dev.refit.api.Weekday;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether nodes may start their disruption at a given instant: inside a maintenance window (or any
 * time, without windows) and outside every blackout. Pure; time zones and daylight-saving changes
 * come from java.time.
 */
public final class Windows {

  /**
   * The schedule at one instant.
   *
   * @param open whether a node may start its disruption now
   * @param reason why not, for people, or null when open
   * @param nextOpen when it opens next, when closed (null if never within a year)
   * @param nextChange when the answer may change next (null if never), to wake up at
   */
  public record State(boolean open, String reason, Instant nextOpen, Instant nextChange) {}

  private static final Duration SEARCH = Duration.ofDays(370);

  private Windows() {}

  /** The schedule at {@code now}; a missing schedule is always open. */
  public static State at(Schedule schedule, Instant now) {
    if (schedule == null
        || (schedule.getWindows().isEmpty() && schedule.getBlackouts().isEmpty())) {
      return new State(true, null, null, null);
    }
    List<Interval> blackouts = blackoutIntervals(schedule);
    // windows repeat weekly: two weeks ahead suffice, or two weeks past the last blackout
    Instant horizon =
        blackouts.stream()
            .map(Interval::end)
            .max(Comparator.naturalOrder())
            .filter(end -> end.isAfter(now))
            .orElse(now)
            .plus(Duration.ofDays(15));
    if (horizon.isAfter(now.plus(SEARCH))) {
      horizon = now.plus(SEARCH);
    }
    List<Interval> windows = windowIntervals(schedule, now, horizon);
    boolean anyWindows = !schedule.getWindows().isEmpty();
    boolean open = open(windows, blackouts, anyWindows, now);
    Instant nextChange = nextBoundary(windows, blackouts, now);
    if (open) {
      return new State(true, null, null, nextChange);
    }
    Instant nextOpen = nextOpen(windows, blackouts, anyWindows, now);
    Optional<Blackout> blackout = activeBlackout(schedule, now);
    String reason =
        blackout
            .map(
                b ->
                    "in blackout"
                        + (b.getReason() == null ? "" : " \"" + b.getReason() + "\"")
                        + " until "
                        + b.getEnd())
            .orElse("outside the maintenance windows");
    if (nextOpen != null) {
      reason += "; the next window opens " + local(nextOpen, windows);
    }
    return new State(false, reason, nextOpen, nextOpen != null ? nextOpen : nextChange);
  }

  private record Interval(Instant start, Instant end, ZoneId zone) {
    Interval(Instant start, Instant end) {
      this(start, end, null);
    }

    boolean contains(Instant t) {
      return !t.isBefore(start) && t.isBefore(end);
    }
  }

  /**
   * A moment as the schedule's author wrote it: local time in the time zone of the window it falls
   * in ("2026-12-05T01:00 Europe/Berlin"), or UTC when it falls in none.
   */
  static String local(Instant t, List<Interval> windows) {
    ZoneId zone =
        windows.stream()
            .filter(w -> w.contains(t))
            .map(Interval::zone)
            .findFirst()
            .orElse(ZoneId.of("UTC"));
    return LOCAL.format(t.atZone(zone)) + " " + zone.getId();
  }

  private static final java.time.format.DateTimeFormatter LOCAL =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

  private static boolean open(
      List<Interval> windows, List<Interval> blackouts, boolean anyWindows, Instant t) {
    boolean inWindow = !anyWindows || windows.stream().anyMatch(w -> w.contains(t));
    return inWindow && blackouts.stream().noneMatch(b -> b.contains(t));
  }

  private static Instant nextOpen(
      List<Interval> windows, List<Interval> blackouts, boolean anyWindows, Instant now) {
    List<Instant> candidates = new ArrayList<>();
    windows.forEach(w -> candidates.add(w.start()));
    blackouts.forEach(b -> candidates.add(b.end()));
    return candidates.stream()
        .filter(t -> t.isAfter(now))
        .sorted()
        .filter(t -> open(windows, blackouts, anyWindows, t))
        .findFirst()
        .orElse(null);
  }

  private static Instant nextBoundary(
      List<Interval> windows, List<Interval> blackouts, Instant now) {
    List<Instant> boundaries = new ArrayList<>();
    for (Interval i : windows) {
      boundaries.add(i.start());
      boundaries.add(i.end());
    }
    for (Interval i : blackouts) {
      boundaries.add(i.start());
      boundaries.add(i.end());
    }
    return boundaries.stream()
        .filter(t -> t.isAfter(now))
        .min(Comparator.naturalOrder())
        .orElse(null);
  }

  /** Every occurrence of every window from a week before now to the horizon. */
  private static List<Interval> windowIntervals(Schedule schedule, Instant now, Instant horizon) {
    List<Interval> intervals = new ArrayList<>();
    for (MaintenanceWindow window : schedule.getWindows()) {
      ZoneId zone;
      try {
        zone = ZoneId.of(window.getTimeZone());
      } catch (DateTimeException e) {
        continue; // reported as a spec problem; such a window never opens
      }
      LocalTime start = timeOfDay(window.getStart());
      Duration length = duration(window.getDuration());
      if (start == null || length == null) {
        continue; // reported as a spec problem; such a window never opens
      }
      LocalDate first = now.atZone(zone).toLocalDate().minusDays(8);
      LocalDate last = horizon.atZone(zone).toLocalDate();
      for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
        if (hasDay(window, day)) {
          Instant opens = ZonedDateTime.of(day, start, zone).toInstant();
          intervals.add(new Interval(opens, opens.plus(length), zone));
        }
      }
    }
    return intervals;
  }

  private static boolean hasDay(MaintenanceWindow window, LocalDate day) {
    for (Weekday weekday : window.getDays()) {
      if (weekday.toDayOfWeek() == day.getDayOfWeek()) {
        return true;
      }
    }
    return false;
  }

  /** Blackouts whose timestamps parse (the others are spec problems, and hold every node). */
  private static List<Interval> blackoutIntervals(Schedule schedule) {
    return schedule.getBlackouts().stream().flatMap(b -> interval(b).stream()).toList();
  }

  private static Optional<Blackout> activeBlackout(Schedule schedule, Instant now) {
    return schedule.getBlackouts().stream()
        .filter(b -> interval(b).filter(i -> i.contains(now)).isPresent())
        .findFirst();
  }

  private static Optional<Interval> interval(Blackout blackout) {
    Instant start = timestamp(blackout.getStart());
    Instant end = timestamp(blackout.getEnd());
    return start == null || end == null ? Optional.empty() : Optional.of(new Interval(start, end));
  }

  /** An RFC 3339 timestamp, or null when it names no moment (February 30, say). */
  static Instant timestamp(String text) {
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException | NullPointerException e) {
      return null;
    }
  }

  /** A time of day written HH:MM, or null when it is not one. */
  static LocalTime timeOfDay(String text) {
    try {
      return LocalTime.parse(text);
    } catch (DateTimeException | NullPointerException e) {
      return null;
    }
  }

  /**
   * A duration written like 90m, 4h or 1h30m (validated at admission), or null when it is not one.
   */
  static Duration duration(String text) {
    if (text == null || !text.trim().matches(Patterns.HOURS_MINUTES)) {
      return null;
    }
    Duration total = Duration.ZERO;
    String rest = text.trim();
    int h = rest.indexOf('h');
    if (h >= 0) {
      total = total.plusHours(Long.parseLong(rest.substring(0, h)));
      rest = rest.substring(h + 1);
    }
    if (rest.endsWith("m")) {
      total = total.plusMinutes(Long.parseLong(rest.substring(0, rest.length() - 1)));
    }
    return total;
  }
}
