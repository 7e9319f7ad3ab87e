package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The last error the agent met on its host. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HostError {

  @JsonPropertyDescription("CamelCase reason: CommandFailed, UnparseableOutput, StageFailed, ...")
  private String reason;

  @JsonPropertyDescription("What failed, with the command and the relevant part of its output.")
  private String message;

  @JsonPropertyDescription("When it happened (RFC 3339).")
  private String time;

  public HostError() {}

  public HostError(String reason, String message, String time) {
    this.reason = reason;
    this.message = message;
    this.time = time;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostError other
        && Objects.equals(reason, other.reason)
        && Objects.equals(message, other.message)
        && Objects.equals(time, other.time);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, message, time);
  }
}
