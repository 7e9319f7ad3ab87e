package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Prometheus query that must return no series before the next node starts (alert-style). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusCheck {

  @JsonPropertyDescription(
      "Base URL of the Prometheus HTTP API, e.g."
          + " http://prometheus-operated.monitoring.svc:9090.")
  @Required
  @Size(max = 2048)
  @Pattern("^https?://[^\\s/$.?#][^\\s]*$")
  private String url;

  @JsonPropertyDescription(
      "PromQL query, evaluated as an instant query. Any series in the result means unhealthy,"
          + " e.g. ALERTS{alertstate=\"firing\",severity=\"critical\"}.")
  @Required
  @Size(min = 1, max = 4096)
  private String query;

  @JsonPropertyDescription("Seconds to wait for Prometheus to answer before the check fails.")
  @Default("10")
  @Min(1)
  @Max(300)
  private Integer timeoutSeconds = 10;

  public PrometheusCheck() {}

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getQuery() {
    return query;
  }

  public void setQuery(String query) {
    this.query = query;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds == null ? 10 : timeoutSeconds;
  }
}
