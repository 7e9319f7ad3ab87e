package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The order nodes are taken in. Nodes are ordered by name within each group; the node running the
 * operator always goes last.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Ordering {

  /** The well-known zone label. */
  public static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  @JsonPropertyDescription(
      "Order the rollout by zone (zones in name order): free slots go to the nodes of the"
          + " earliest zone that can start now, so the next zone starts when no node of an earlier"
          + " zone can start (one still downloading, failed, NotReady or cordoned by someone else"
          + " does not hold it back).")
  @Default("false")
  private Boolean zoneByZone = false;

  @JsonPropertyDescription("Node label that names a node's zone.")
  @Default(ZONE_LABEL)
  @Size(min = 1, max = 317)
  @ValidationRule(value = KeyRules.ONE_NAME_LENGTH, message = "zoneLabel: " + KeyRules.NAME_LENGTH)
  @ValidationRule(value = KeyRules.ONE_NAME, message = "zoneLabel: " + KeyRules.NAME)
  @ValidationRule(
      value = KeyRules.ONE_PREFIX_LENGTH,
      message = "zoneLabel: " + KeyRules.PREFIX_LENGTH)
  @ValidationRule(value = KeyRules.ONE_PREFIX, message = "zoneLabel: " + KeyRules.PREFIX)
  private String zoneLabel = ZONE_LABEL;

  @JsonPropertyDescription(
      "Take control-plane nodes (label node-role.kubernetes.io/control-plane) after all others.")
  @Default("true")
  private Boolean controlPlaneLast = true;

  public Ordering() {}

  public Boolean getZoneByZone() {
    return zoneByZone;
  }

  public void setZoneByZone(Boolean zoneByZone) {
    this.zoneByZone = zoneByZone == null ? false : zoneByZone;
  }

  public String getZoneLabel() {
    return zoneLabel;
  }

  public void setZoneLabel(String zoneLabel) {
    this.zoneLabel = zoneLabel == null ? ZONE_LABEL : zoneLabel;
  }

  public Boolean getControlPlaneLast() {
    return controlPlaneLast;
  }

  public void setControlPlaneLast(Boolean controlPlaneLast) {
    this.controlPlaneLast = controlPlaneLast == null ? true : controlPlaneLast;
  }
}
