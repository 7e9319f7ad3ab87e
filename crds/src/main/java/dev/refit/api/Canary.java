package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The first nodes to update, alone, before the rest: either a count or a label selector. After the
 * canaries are updated the rollout waits {@code soakSeconds}, then continues; a canary that fails,
 * or is unhealthy during the soak, halts the rollout whatever the failure budget.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.count) != has(self.nodeSelector)",
    message = "choose canaries either by count or by nodeSelector, not both and not neither")
public class Canary {

  @JsonPropertyDescription(
      "Number of canary nodes: the first nodes in rollout order that do not already run the"
          + " target (a node skipped by its drain timeout gives its place to the next). At most"
          + " this many start before the soak.")
  @Min(1)
  @Max(1000)
  private Integer count;

  @JsonPropertyDescription(
      "Nodes (among those the policy selects) that are the canaries; those already running the"
          + " target are not. A selector that matches none of the policy's nodes holds the"
          + " rollout.")
  private Selector nodeSelector;

  @JsonPropertyDescription(
      "Seconds to watch the updated canaries, counted from the last one's update, before the rest"
          + " of the fleet starts. A canary that goes NotReady or fails its health check in that"
          + " time fails (CanaryUnhealthy) and halts the rollout.")
  @Default("600")
  @Min(0)
  @Max(604800)
  private Integer soakSeconds = 600;

  public Canary() {}

  public Integer getCount() {
    return count;
  }

  public void setCount(Integer count) {
    this.count = count;
  }

  public Selector getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Selector nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public Integer getSoakSeconds() {
    return soakSeconds;
  }

  public void setSoakSeconds(Integer soakSeconds) {
    this.soakSeconds = soakSeconds == null ? 600 : soakSeconds;
  }
}
