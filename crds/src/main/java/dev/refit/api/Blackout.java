package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A period in which no node may start its disruption, even inside a maintenance window. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.start) || !has(self.end) || !self.start.matches(r'"
            + Patterns.TIMESTAMP
            + "') || !self.end.matches(r'"
            + Patterns.TIMESTAMP
            + "') || timestamp(self.end) > timestamp(self.start)",
    message = "a blackout's end must be after its start")
public class Blackout {

  @JsonPropertyDescription(
      "Start of the blackout, an RFC 3339 timestamp with offset: 2026-12-20T00:00:00Z.")
  @Required
  @Size(max = 64)
  @ValidationRule(
      value = "self.matches(r'" + Patterns.TIMESTAMP + "')",
      message =
          "start must be an RFC 3339 timestamp with offset and a real date and time, like"
              + " 2026-12-24T00:00:00Z or 2026-12-24T00:00:00+01:00 (month 01-12, a day the month"
              + " has, hour 00-23, minute and second 00-59)")
  private String start;

  @JsonPropertyDescription(
      "End of the blackout, an RFC 3339 timestamp with offset: 2027-01-04T00:00:00+01:00.")
  @Required
  @Size(max = 64)
  @ValidationRule(
      value = "self.matches(r'" + Patterns.TIMESTAMP + "')",
      message =
          "end must be an RFC 3339 timestamp with offset and a real date and time, like"
              + " 2027-01-04T00:00:00Z or 2027-01-04T00:00:00+01:00 (month 01-12, a day the month"
              + " has, hour 00-23, minute and second 00-59)")
  private String end;

  @JsonPropertyDescription("Why the blackout exists, shown in status while it is in force.")
  @Size(max = 256)
  private String reason;

  public Blackout() {}

  public String getStart() {
    return start;
  }

  public void setStart(String start) {
    this.start = start;
  }

  public String getEnd() {
    return end;
  }

  public void setEnd(String end) {
    this.end = end;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }
}
