package dev.refit.chart;

import static dev.refit.chart.Monitoring.alert;
import static dev.refit.chart.Monitoring.alerts;
import static dev.refit.chart.Monitoring.annotationOf;
import static dev.refit.chart.Monitoring.dashboard;
import static dev.refit.chart.Monitoring.documentedMetrics;
import static dev.refit.chart.Monitoring.metricNames;
import static dev.refit.chart.Monitoring.panels;
import static dev.refit.chart.Monitoring.variable;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alerts and the Grafana dashboard the chart renders on request: what they query, what they
 * say, where they go; each agreeing with the ServiceMonitors' jobs and with the metrics
 * docs/metrics.md documents.
 */
class AlertsAndDashboardTest {

  /** Names that are not Refit's but every Prometheus has. */
  static final Set<String> STANDARD_METRICS = Set.of("up");

  final Rendered on = Monitoring.renderAllOn();

  @Test
  void theAlertsAndTheDashboardSelectOnlyTheJobsTheServiceMonitorsName() throws IOException {
    Set<Object> named = new TreeSet<>();
    for (Map<String, Object> monitor : on.ofKind("ServiceMonitor")) {
      Maps.list(monitor, "spec", "endpoints", 0, "relabelings").stream()
          .filter(r -> "job".equals(r.get("targetLabel")))
          .forEach(r -> named.add(r.get("replacement")));
    }
    Set<String> selected = new TreeSet<>();
    Pattern job = Pattern.compile("job=\"([^\"]*)\"");
    for (String query : queries()) {
      Matcher found = job.matcher(query);
      while (found.find()) {
        selected.add(found.group(1));
      }
    }
    assertThat(selected).isEqualTo(named);
  }

  @Test
  void everyMetricTheAlertsAndTheDashboardUseIsDocumented() throws IOException {
    Set<String> documented = documentedMetrics();
    Set<String> used = new TreeSet<>();
    for (String query : queries()) {
      assertBalanced(query);
      used.addAll(metricNames(query));
    }
    assertThat(used).contains("refit_rollout_halted", "refit_operator_leader", "up");
    assertThat(used)
        .allSatisfy(
            name ->
                assertThat(
                        STANDARD_METRICS.contains(name)
                            || documented.contains(name)
                            || documented.contains(name.replaceAll("_(bucket|count|sum)$", "")))
                    .as("%s is documented in docs/metrics.md", name)
                    .isTrue());
  }

  @Test
  void everyAlertWaitsBeforeFiringHasASeverityAndSaysWhatToDo() {
    List<Map<String, Object>> alerts = alerts(on);
    assertThat(alerts)
        .extracting(a -> a.get("alert"))
        .containsExactlyInAnyOrder(
            "RefitRolloutHalted",
            "RefitDrainBlocked",
            "RefitNodeUpdateFailed",
            "RefitNodeUpdaterDown",
            "RefitOperatorNoLeader");
    for (Map<String, Object> alert : alerts) {
      assertThat(String.valueOf(alert.get("for"))).as("%s", alert).matches("[0-9]+m");
      assertThat(Maps.map(alert, "labels")).containsKey("severity");
      assertThat(Maps.map(alert, "annotations")).containsKeys("summary", "description");
    }
    for (String policyAlert :
        List.of("RefitRolloutHalted", "RefitDrainBlocked", "RefitNodeUpdateFailed")) {
      assertThat(annotation(policyAlert, "description"))
          .contains("kubectl describe osupdatepolicy {{ $labels.policy }}");
    }
    assertThat(annotation("RefitNodeUpdaterDown", "summary")).contains("{{ $labels.node }}");
  }

  @Test
  void theAlertThresholdsComeFromTheValues() {
    Rendered custom =
        Chart.renderWith(
            """
            metrics:
              prometheusRule:
                enabled: true
                drainBlockedMinutes: 45
                agentDownMinutes: 17
                noLeaderMinutes: 3
            """);
    assertThat(alert(custom, "RefitDrainBlocked").get("expr").toString()).endsWith("> 2700");
    assertThat(annotationOf(custom, "RefitDrainBlocked", "summary")).contains("45 minutes");
    assertThat(alert(custom, "RefitNodeUpdaterDown")).containsEntry("for", "17m");
    assertThat(alert(custom, "RefitOperatorNoLeader")).containsEntry("for", "3m");

    assertThat(alert(on, "RefitDrainBlocked").get("expr").toString()).endsWith("> 1800");
    assertThat(alert(on, "RefitNodeUpdaterDown")).containsEntry("for", "10m");
    assertThat(alert(on, "RefitOperatorNoLeader")).containsEntry("for", "5m");
  }

  @Test
  void theAlertsWatchOnlyThisReleasesNamespace() {
    for (Map<String, Object> alert : alerts(on)) {
      assertThat(alert.get("expr").toString())
          .as("%s", alert.get("alert"))
          .contains("namespace=\"" + Chart.NAMESPACE + "\"");
    }
  }

  @Test
  void theDashboardIsValidJsonAndEveryPanelHasAQuery() throws IOException {
    JsonNode dashboard = dashboard(on);

    assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
    assertThat(variable(dashboard, "datasource").path("type").asText()).isEqualTo("datasource");
    assertThat(variable(dashboard, "datasource").path("query").asText()).isEqualTo("prometheus");
    assertThat(variable(dashboard, "policy").path("definition").asText())
        .isEqualTo("label_values(refit_nodes, policy)");
    List<JsonNode> panels = panels(dashboard);
    assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
    for (JsonNode panel : panels) {
      assertThat(panel.path("datasource").path("uid").asText())
          .as(panel.path("title").asText())
          .isEqualTo("${datasource}");
      assertThat(panel.path("targets"))
          .as("the queries of %s", panel.path("title").asText())
          .isNotEmpty()
          .allSatisfy(target -> assertThat(target.path("expr").asText()).isNotBlank());
    }
  }

  @Test
  void everyAlertAndEveryDashboardPanelIsDescribedInTheDocs() throws IOException {
    String doc = Files.readString(Monitoring.METRICS_DOC);
    for (Map<String, Object> alert : alerts(on)) {
      assertThat(doc)
          .contains("| `" + alert.get("alert") + "` |", "**" + alert.get("alert") + "**");
    }
    for (JsonNode panel : panels(dashboard(on))) {
      assertThat(doc).contains("| " + panel.path("title").asText() + " |");
    }
  }

  @Test
  void theDashboardGoesToTheConfiguredNamespaceWithTheSidecarsLabel() {
    Map<String, Object> inRelease = on.get("ConfigMap", "refit-dashboard");
    assertThat(Maps.path(inRelease, "metadata", "namespace")).isEqualTo(Chart.NAMESPACE);
    assertThat(Maps.map(inRelease, "metadata", "labels")).containsEntry("grafana_dashboard", "1");

    Rendered elsewhere =
        Chart.renderWith(
            """
            metrics:
              dashboard:
                enabled: true
                namespace: monitoring
                labels:
                  grafana_dashboard: refit
                annotations:
                  grafana_folder: Platform
            """);
    Map<String, Object> configMap = elsewhere.get("ConfigMap", "refit-dashboard");
    assertThat(Maps.path(configMap, "metadata", "namespace")).isEqualTo("monitoring");
    assertThat(Maps.map(configMap, "metadata", "labels"))
        .containsEntry("grafana_dashboard", "refit");
    assertThat(Maps.map(configMap, "metadata", "annotations"))
        .containsEntry("grafana_folder", "Platform");
  }

  // --- reading what was rendered ---

  private String annotation(String alert, String key) {
    return annotationOf(on, alert, key);
  }

  /** Every PromQL expression the switched-on chart renders. */
  private List<String> queries() throws IOException {
    return Monitoring.queries(on);
  }

  private static void assertBalanced(String query) {
    StringBuilder open = new StringBuilder();
    boolean quoted = false;
    for (char c : query.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && "({[".indexOf(c) >= 0) {
        open.append(c);
      } else if (!quoted && ")}]".indexOf(c) >= 0) {
        assertThat(open).as("brackets of %s", query).isNotEmpty();
        assertThat("({[".indexOf(open.charAt(open.length() - 1)))
            .as("brackets of %s", query)
            .isEqualTo(")}]".indexOf(c));
        open.setLength(open.length() - 1);
      }
    }
    assertThat(quoted).as("quotes of %s", query).isFalse();
    assertThat(open).as("brackets of %s", query).isEmpty();
  }
}
