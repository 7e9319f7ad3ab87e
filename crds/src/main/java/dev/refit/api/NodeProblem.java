package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A node that is blocked, failed or left alone, and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeProblem {

  @JsonPropertyDescription("Node name.")
  private String node;

  @JsonPropertyDescription("CamelCase reason: DrainBlocked, RebootTimeout, NodeConflict, ...")
  private String reason;

  @JsonPropertyDescription("What happened, and what to do about it.")
  private String message;

  @JsonPropertyDescription("When the problem began (RFC 3339).")
  private String since;

  public NodeProblem() {}

  public NodeProblem(String node, String reason, String message, String since) {
    this.node = node;
    this.reason = reason;
    this.message = message;
    this.since = since;
  }

  public String getNode() {
    return node;
  }

  public void setNode(String node) {
    this.node = node;
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

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeProblem other
        && Objects.equals(node, other.node)
        && Objects.equals(reason, other.reason)
        && Objects.equals(message, other.message)
        && Objects.equals(since, other.since);
  }

  @Override
  public int hashCode() {
    return Objects.hash(node, reason, message, since);
  }

  @Override
  public String toString() {
    return node + ": " + reason + " (" + message + ")";
  }
}
