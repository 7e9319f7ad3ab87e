package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A node that holds one of a policy's disruption slots, and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SlotHolder {

  @JsonPropertyDescription("Node name.")
  private String node;

  @JsonPropertyDescription(
      "Why the node is out of service, e.g. \"Draining\", \"soaking until 2026-12-05T01:10:00Z\","
          + " \"cordoned by someone else\", \"NotReady\", \"failed (ReadyTimeout), kept cordoned by"
          + " Refit\".")
  private String why;

  public SlotHolder() {}

  public SlotHolder(String node, String why) {
    this.node = node;
    this.why = why;
  }

  public String getNode() {
    return node;
  }

  public void setNode(String node) {
    this.node = node;
  }

  public String getWhy() {
    return why;
  }

  public void setWhy(String why) {
    this.why = why;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SlotHolder other
        && Objects.equals(node, other.node)
        && Objects.equals(why, other.why);
  }

  @Override
  public int hashCode() {
    return Objects.hash(node, why);
  }

  @Override
  public String toString() {
    return node + " " + why;
  }
}
