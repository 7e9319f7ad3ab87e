package dev.refit.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading the chart's monitoring as rendered with every switch on: its alerts, its Grafana
 * dashboard, the PromQL they hold, and the metrics docs/metrics.md documents.
 */
final class Monitoring {

  /** Values that turn on the ServiceMonitors, the PrometheusRule and the dashboard. */
  static final String ALL_ON =
      """
      metrics:
        serviceMonitor:
          enabled: true
        prometheusRule:
          enabled: true
        dashboard:
          enabled: true
      """;

  /** The page that documents every metric, alert and dashboard panel. */
  static final Path METRICS_DOC = Chart.REPO.resolve("docs").resolve("metrics.md");

  private static final Pattern SELECTED = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*[{\\[]");
  private static final Pattern REFIT = Pattern.compile("\\b(refit_[a-zA-Z0-9_]+)");

  private Monitoring() {}

  /** Renders the chart with every monitoring switch on. */
  static Rendered renderAllOn() {
    return Chart.renderWith(ALL_ON);
  }

  /** The rules of every group of the rendered PrometheusRule. */
  static List<Map<String, Object>> alerts(Rendered rendered) {
    List<Map<String, Object>> alerts = new ArrayList<>();
    Map<String, Object> rule = rendered.get("PrometheusRule", "refit");
    Maps.list(rule, "spec", "groups").forEach(g -> alerts.addAll(Maps.list(g, "rules")));
    return alerts;
  }

  /** The rendered alert of this name. */
  static Map<String, Object> alert(Rendered rendered, String name) {
    return alerts(rendered).stream()
        .filter(a -> name.equals(a.get("alert")))
        .findFirst()
        .orElseThrow();
  }

  /** An annotation of the rendered alert of this name, as text. */
  static String annotationOf(Rendered rendered, String alert, String key) {
    return String.valueOf(Maps.path(alert(rendered, alert), "annotations", key));
  }

  /** The dashboard JSON of the rendered ConfigMap, parsed. */
  static JsonNode dashboard(Rendered rendered) throws IOException {
    Object json = Maps.path(rendered.get("ConfigMap", "refit-dashboard"), "data", "refit.json");
    assertThat(json).isInstanceOf(String.class);
    return new ObjectMapper().readTree((String) json);
  }

  /** The dashboard's template variable of this name. */
  static JsonNode variable(JsonNode dashboard, String name) {
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (name.equals(variable.path("name").asText())) {
        return variable;
      }
    }
    throw new AssertionError("no dashboard variable " + name);
  }

  /** The dashboard's panels that show data (rows only group them). */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if (!"row".equals(panel.path("type").asText())) {
        panels.add(panel);
      }
    }
    return panels;
  }

  /** Every PromQL expression: the alerts', the dashboard's queries and its variables'. */
  static List<String> queries(Rendered rendered) throws IOException {
    List<String> queries = new ArrayList<>();
    alerts(rendered).forEach(a -> queries.add(a.get("expr").toString()));
    JsonNode dashboard = dashboard(rendered);
    panels(dashboard)
        .forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
    queries.add(variable(dashboard, "policy").path("definition").asText());
    return queries;
  }

  /** Metric names in a query: every name before a selector or a range, and every refit_* word. */
  static Set<String> metricNames(String query) {
    Set<String> names = new TreeSet<>();
    Matcher selected = SELECTED.matcher(query);
    while (selected.find()) {
      names.add(selected.group(1));
    }
    Matcher refit = REFIT.matcher(query);
    while (refit.find()) {
      names.add(refit.group(1));
    }
    return names;
  }

  /** The metric names in the first column of docs/metrics.md's tables. */
  static Set<String> documentedMetrics() throws IOException {
    Set<String> names = new TreeSet<>();
    Pattern row = Pattern.compile("^\\| `(refit_[a-z0-9_]+)` \\|");
    for (String line : Files.readAllLines(METRICS_DOC)) {
      Matcher found = row.matcher(line);
      if (found.find()) {
        names.add(found.group(1));
      }
    }
    assertThat(names).contains("refit_nodes", "refit_agent_steps_total");
    return names;
  }
}
