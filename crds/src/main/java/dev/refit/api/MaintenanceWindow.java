package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * A weekly window in which nodes may start their disruption. Only the start of a node's drain must
 * fall inside a window; a node already draining finishes its update.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaintenanceWindow {

  @JsonPropertyDescription(
      "Days of the week the window opens on, spelled out: Monday, Tuesday, ... Sunday. Each day"
          + " may appear once.")
  @Required
  @Size(min = 1, max = 7)
  @ValidationRule(
      value = "self.all(d, self.exists_one(e, e == d))",
      message = "each day may be listed once: remove the duplicate day")
  private List<Weekday> days = new ArrayList<>();

  @JsonPropertyDescription(
      "Time of day the window opens, 24-hour HH:MM in the window's time zone, e.g. 22:00.")
  @Required
  @Size(max = 5)
  @ValidationRule(
      value = "self.matches(r'" + Patterns.TIME_OF_DAY + "')",
      message = "start must be a 24-hour time of day HH:MM, like 02:00 or 22:30")
  private String start;

  @JsonPropertyDescription(
      "How long the window stays open, in hours and minutes: 90m, 4h, 1h30m. At least 1m, at"
          + " most 168h (a week). A window may run past midnight into the next day.")
  @Required
  @Size(max = 12)
  @ValidationRule(
      value =
          "self != '' && self.matches(r'"
              + Patterns.HOURS_MINUTES
              + "') && duration(self) >= duration('1m') && duration(self) <= duration('168h')",
      message = "duration must be written like 90m, 4h or 1h30m, and be between 1m and 168h")
  private String duration;

  @JsonPropertyDescription(
      "IANA time zone the start time is read in, e.g. Europe/Berlin or America/New_York."
          + " Daylight-saving changes are followed. An unknown zone is reported in the policy's"
          + " conditions and no window opens until it is fixed.")
  @Default("UTC")
  @Size(max = 64)
  @ValidationRule(
      value = "self.matches(r'" + Patterns.TIME_ZONE + "')",
      message =
          "timeZone must be an IANA time zone name, like Europe/Berlin, America/New_York or UTC")
  private String timeZone = "UTC";

  public MaintenanceWindow() {}

  public List<Weekday> getDays() {
    return days;
  }

  public void setDays(List<Weekday> days) {
    this.days = days == null ? new ArrayList<>() : days;
  }

  public String getStart() {
    return start;
  }

  public void setStart(String start) {
    this.start = start;
  }

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone == null ? "UTC" : timeZone;
  }
}
