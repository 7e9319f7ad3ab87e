package dev.refit.api;

import java.time.DayOfWeek;

/** A day of the week, spelled out in English as in the manifests. */
public enum Weekday {
  Monday(DayOfWeek.MONDAY),
  Tuesday(DayOfWeek.TUESDAY),
  Wednesday(DayOfWeek.WEDNESDAY),
  Thursday(DayOfWeek.THURSDAY),
  Friday(DayOfWeek.FRIDAY),
  Saturday(DayOfWeek.SATURDAY),
  Sunday(DayOfWeek.SUNDAY);

  private final DayOfWeek dayOfWeek;

  Weekday(DayOfWeek dayOfWeek) {
    this.dayOfWeek = dayOfWeek;
  }

  /** The java.time day. */
  public DayOfWeek toDayOfWeek() {
    return dayOfWeek;
  }
}
