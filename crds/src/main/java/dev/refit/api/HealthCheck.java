package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How a rebooted node proves it is healthy before it is uncordoned. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HealthCheck {

  @JsonPropertyDescription(
      "Seconds from the reboot instruction until the node must report a new boot ID. A node that"
          + " misses it counts as failed.")
  @Default("900")
  @Min(10)
  @Max(86400)
  private Integer rebootTimeoutSeconds = 900;

  @JsonPropertyDescription(
      "Seconds from the new boot until the node must be Ready, run the desired OS, and have the"
          + " pods of podSelector Ready. A node that misses it counts as failed.")
  @Default("600")
  @Min(5)
  @Max(86400)
  private Integer readyTimeoutSeconds = 600;

  @JsonPropertyDescription(
      "Pods on the node that must be Ready before it counts as healthy (e.g. the CNI or a"
          + " storage agent). DaemonSet pods are recreated on the node after the reboot.")
  private Selector podSelector;

  @JsonPropertyDescription(
      "A Prometheus instant query that must return no series before a node starts its"
          + " disruption (e.g. firing critical alerts). Asked when a node would start, and again"
          + " every 15 s while it holds the rollout; an answer with series, an error or a timeout"
          + " starts no node (Progressing reason HealthQuery) until it returns none.")
  private PrometheusCheck prometheus;

  public HealthCheck() {}

  public Integer getRebootTimeoutSeconds() {
    return rebootTimeoutSeconds;
  }

  public void setRebootTimeoutSeconds(Integer rebootTimeoutSeconds) {
    this.rebootTimeoutSeconds = rebootTimeoutSeconds == null ? 900 : rebootTimeoutSeconds;
  }

  public Integer getReadyTimeoutSeconds() {
    return readyTimeoutSeconds;
  }

  public void setReadyTimeoutSeconds(Integer readyTimeoutSeconds) {
    this.readyTimeoutSeconds = readyTimeoutSeconds == null ? 600 : readyTimeoutSeconds;
  }

  public Selector getPodSelector() {
    return podSelector;
  }

  public void setPodSelector(Selector podSelector) {
    this.podSelector = podSelector;
  }

  public PrometheusCheck getPrometheus() {
    return prometheus;
  }

  public void setPrometheus(PrometheusCheck prometheus) {
    this.prometheus = prometheus;
  }
}
