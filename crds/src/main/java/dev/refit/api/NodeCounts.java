package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** How many of a policy's nodes are where. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeCounts {

  @JsonPropertyDescription(
      "Nodes the policy selects and manages (excluded and conflicted ones not counted).")
  private int total;

  @JsonPropertyDescription("Nodes running the target revision, verified and uncordoned.")
  private int updated;

  @JsonPropertyDescription(
      "Nodes being disrupted right now: cordoned, draining, rebooting or verifying.")
  private int updating;

  @JsonPropertyDescription("Nodes waiting for their turn (including those staging or staged).")
  private int pending;

  @JsonPropertyDescription(
      "Nodes whose update failed for the current target (they count against the failure budget).")
  private int failed;

  @JsonPropertyDescription(
      "Selected nodes Refit leaves alone: labelled refit.dev/exclude or claimed by another policy.")
  private int excluded;

  @JsonPropertyDescription(
      "Nodes left on their old OS for the current target because their drain timed out under"
          + " onTimeout: Skip.")
  private int skipped;

  public NodeCounts() {}

  public int getTotal() {
    return total;
  }

  public void setTotal(int total) {
    this.total = total;
  }

  public int getUpdated() {
    return updated;
  }

  public void setUpdated(int updated) {
    this.updated = updated;
  }

  public int getUpdating() {
    return updating;
  }

  public void setUpdating(int updating) {
    this.updating = updating;
  }

  public int getPending() {
    return pending;
  }

  public void setPending(int pending) {
    this.pending = pending;
  }

  public int getFailed() {
    return failed;
  }

  public void setFailed(int failed) {
    this.failed = failed;
  }

  public int getSkipped() {
    return skipped;
  }

  public void setSkipped(int skipped) {
    this.skipped = skipped;
  }

  public int getExcluded() {
    return excluded;
  }

  public void setExcluded(int excluded) {
    this.excluded = excluded;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeCounts other
        && total == other.total
        && updated == other.updated
        && updating == other.updating
        && pending == other.pending
        && failed == other.failed
        && skipped == other.skipped
        && excluded == other.excluded;
  }

  @Override
  public int hashCode() {
    return Objects.hash(total, updated, updating, pending, failed, skipped, excluded);
  }
}
