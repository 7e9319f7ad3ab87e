package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** When nodes may be disrupted. Without windows, any time outside a blackout. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Schedule {

  @JsonPropertyDescription(
      "Weekly maintenance windows. A node starts its disruption (cordon and drain) only while a"
          + " window is open. Empty means always open. Staging runs at any time.")
  @Size(max = 16)
  private List<MaintenanceWindow> windows = new ArrayList<>();

  @JsonPropertyDescription(
      "Periods in which no node starts its disruption, even inside a window (release freezes,"
          + " holidays).")
  @Size(max = 32)
  private List<Blackout> blackouts = new ArrayList<>();

  public Schedule() {}

  public List<MaintenanceWindow> getWindows() {
    return windows;
  }

  public void setWindows(List<MaintenanceWindow> windows) {
    this.windows = windows == null ? new ArrayList<>() : windows;
  }

  public List<Blackout> getBlackouts() {
    return blackouts;
  }

  public void setBlackouts(List<Blackout> blackouts) {
    this.blackouts = blackouts == null ? new ArrayList<>() : blackouts;
  }
}
