package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How the rollout moves through the fleet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Rollout {

  @JsonPropertyDescription(
      "Stop starting new node disruptions. Nodes already draining or rebooting finish; staging"
          + " continues. Set back to false to resume.")
  @Default("false")
  private Boolean paused = false;

  @JsonPropertyDescription(
      "Canary nodes to update and watch before the rest of the fleet: no other node starts until"
          + " every canary is updated and has stayed healthy for canary.soakSeconds; a failed"
          + " canary halts the rollout (Degraded, reason CanaryFailed).")
  private Canary canary;

  @JsonPropertyDescription("The order nodes are taken in.")
  private Ordering ordering = new Ordering();

  @JsonPropertyDescription(
      "Seconds to wait after a node is verified before its disruption slot is given to the next"
          + " node.")
  @Default("0")
  @Min(0)
  @Max(86400)
  private Integer soakSeconds = 0;

  @JsonPropertyDescription(
      "Seconds one staging attempt (the download and preparation of the target, before any"
          + " disruption) may take. An attempt still running after it counts as a failed one: it"
          + " is retried after a backoff, and the third failed attempt fails the node (reason"
          + " StageFailed). Staging holds no disruption slot.")
  @Default("3600")
  @Min(60)
  @Max(86400)
  private Integer stageTimeoutSeconds = 3600;

  public Rollout() {}

  public Boolean getPaused() {
    return paused;
  }

  public void setPaused(Boolean paused) {
    this.paused = paused == null ? false : paused;
  }

  public Canary getCanary() {
    return canary;
  }

  public void setCanary(Canary canary) {
    this.canary = canary;
  }

  public Ordering getOrdering() {
    return ordering;
  }

  public void setOrdering(Ordering ordering) {
    this.ordering = ordering == null ? new Ordering() : ordering;
  }

  public Integer getSoakSeconds() {
    return soakSeconds;
  }

  public void setSoakSeconds(Integer soakSeconds) {
    this.soakSeconds = soakSeconds == null ? 0 : soakSeconds;
  }

  public Integer getStageTimeoutSeconds() {
    return stageTimeoutSeconds;
  }

  public void setStageTimeoutSeconds(Integer stageTimeoutSeconds) {
    this.stageTimeoutSeconds = stageTimeoutSeconds == null ? 3600 : stageTimeoutSeconds;
  }
}
