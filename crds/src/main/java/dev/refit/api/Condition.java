package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A condition in the shape of Kubernetes' metav1.Condition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {

  /** The three values a condition's status takes. */
  public enum Status {
    True,
    False,
    Unknown
  }

  @JsonPropertyDescription("Condition type, in CamelCase: Ready, Progressing, Degraded, Paused.")
  @Required
  @Size(min = 1, max = 316)
  @Pattern(
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
          + "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")
  private String type;

  @JsonPropertyDescription("Whether the condition holds: True, False or Unknown.")
  @Required
  private Status status;

  @JsonPropertyDescription(
      "The metadata.generation of the resource the condition was computed from; older than the"
          + " resource's generation means the condition is stale.")
  @Min(0)
  private Long observedGeneration;

  @JsonPropertyDescription("When the status last changed (RFC 3339).")
  @Required
  private String lastTransitionTime;

  @JsonPropertyDescription("One-word CamelCase reason for the status, for programs to act on.")
  @Required
  @Size(min = 1, max = 1024)
  @Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")
  private String reason;

  @JsonPropertyDescription("What a person should know, and where relevant what to do.")
  @Size(max = MAX_MESSAGE)
  private String message;

  /** The longest message the schema admits, in characters (Unicode code points). */
  public static final int MAX_MESSAGE = 32768;

  public Condition() {}

  public Condition(
      String type, Status status, String reason, String message, Long observedGeneration) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
    this.observedGeneration = observedGeneration;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public Status getStatus() {
    return status;
  }

  public void setStatus(Status status) {
    this.status = status;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
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

  /** Whether the status is True. */
  @JsonIgnore
  public boolean isTrue() {
    return status == Status.True;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Condition other
        && Objects.equals(type, other.type)
        && status == other.status
        && Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(lastTransitionTime, other.lastTransitionTime)
        && Objects.equals(reason, other.reason)
        && Objects.equals(message, other.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, observedGeneration, lastTransitionTime, reason, message);
  }

  @Override
  public String toString() {
    return type + "=" + status + " (" + reason + "): " + message;
  }

  /**
   * The text cut to at most {@code max} characters (code points), ending in "…" when cut, so a
   * message built from long user input still fits the schema.
   */
  public static String shortened(String text, int max) {
    if (text == null || text.codePointCount(0, text.length()) <= max) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, max - 1)) + "\u2026";
  }
}
