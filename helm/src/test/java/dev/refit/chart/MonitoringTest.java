package dev.refit.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The monitoring the chart sets up on request: the node-updaters' headless Service, the
 * ServiceMonitors, the alerts and the Grafana dashboard; each off by default, each agreeing with
 * the metrics docs/metrics.md documents.
 */
class MonitoringTest {

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

  static final String OPERATOR_JOB = "refit-operator";
  static final String AGENT_JOB = "refit-node-updater";

  /** Names that are not Refit's but every Prometheus has. */
  static final Set<String> STANDARD_METRICS = Set.of("up");

  final Rendered on = Chart.renderWith(ALL_ON);

  @Test
  void withTheSwitchesOffNothingForMonitoringIsRendered() {
    Rendered off = Chart.render();

    assertThat(off.has("ServiceMonitor")).isFalse();
    assertThat(off.has("PrometheusRule")).isFalse();
    assertThat(off.has("ConfigMap")).isFalse();
    assertThat(off.ofKind("Service"))
        .extracting(s -> Maps.path(s, "metadata", "name"))
        .containsExactly("refit-operator-metrics");
  }

  @Test
  void eachSwitchRendersOnlyItsOwnPart() {
    Rendered rules = Chart.renderWith("metrics:\n  prometheusRule:\n    enabled: true\n");
    assertThat(rules.has("PrometheusRule")).isTrue();
    assertThat(rules.has("ServiceMonitor")).isFalse();
    assertThat(rules.has("ConfigMap")).isFalse();

    Rendered dashboard = Chart.renderWith("metrics:\n  dashboard:\n    enabled: true\n");
    assertThat(dashboard.has("ConfigMap")).isTrue();
    assertThat(dashboard.has("ServiceMonitor")).isFalse();
    assertThat(dashboard.has("PrometheusRule")).isFalse();
  }

  @Test
  void theNodeUpdaterServiceIsHeadlessAndComesWithTheServiceMonitor() {
    Map<String, Object> service = on.get("Service", "refit-node-updater-metrics");

    assertThat(Maps.path(service, "spec", "clusterIP")).isEqualTo("None");
    assertThat(Maps.list(service, "spec", "ports"))
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port).containsEntry("name", "http").containsEntry("targetPort", "http");
              assertThat(port.get("port")).isEqualTo(8080);
            });
  }

  @Test
  void eachServiceMonitorSelectsExactlyItsProgramsServiceAndScrapesItsHttpPort() {
    assertThat(selectedService("refit-operator")).isEqualTo("refit-operator-metrics");
    assertThat(selectedService("refit-node-updater")).isEqualTo("refit-node-updater-metrics");
  }

  @Test
  void eachMetricsServiceReachesTheContainerPortNamedHttpOfItsProgramsPods() {
    assertReaches("refit-operator-metrics", "Deployment", "refit-operator");
    assertReaches("refit-node-updater-metrics", "DaemonSet", "refit-node-updater");
  }

  @Test
  void theScrapeIntervalTimeoutAndLabelsComeFromTheValues() {
    Rendered custom =
        Chart.renderWith(
            """
            metrics:
              serviceMonitor:
                enabled: true
                interval: 45s
                scrapeTimeout: 20s
                labels:
                  release: kube-prometheus
            """);
    for (Map<String, Object> monitor : custom.ofKind("ServiceMonitor")) {
      assertThat(Maps.map(monitor, "metadata", "labels"))
          .containsEntry("release", "kube-prometheus");
      assertThat(Maps.list(monitor, "spec", "endpoints"))
          .allSatisfy(
              endpoint ->
                  assertThat(endpoint)
                      .containsEntry("interval", "45s")
                      .containsEntry("scrapeTimeout", "20s"));
    }
    assertThat(custom.ofKind("ServiceMonitor")).hasSize(2);
  }

  @Test
  void theJobsAreNamedForTheAlertsAndEachAgentTargetCarriesItsNode() {
    assertThat(relabelings("refit-operator"))
        .contains(Map.of("action", "replace", "targetLabel", "job", "replacement", OPERATOR_JOB));
    assertThat(relabelings("refit-node-updater"))
        .contains(Map.of("action", "replace", "targetLabel", "job", "replacement", AGENT_JOB))
        .contains(
            Map.of(
                "action",
                "replace",
                "sourceLabels",
                List.of("__meta_kubernetes_pod_node_name"),
                "targetLabel",
                "node"));
  }

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
    String doc = Files.readString(Chart.REPO.resolve("docs").resolve("metrics.md"));
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

  /** The one Service in the release namespace the ServiceMonitor's selector and port match. */
  private String selectedService(String monitorName) {
    Map<String, Object> monitor = on.get("ServiceMonitor", monitorName);
    assertThat(Maps.list(monitor, "spec", "namespaceSelector", "matchNames"))
        .isEqualTo(List.of(Chart.NAMESPACE));
    Map<String, Object> selector = Maps.map(monitor, "spec", "selector", "matchLabels");
    assertThat(selector).isNotEmpty();
    List<Map<String, Object>> selected =
        on.ofKind("Service").stream()
            .filter(
                s -> Maps.map(s, "metadata", "labels").entrySet().containsAll(selector.entrySet()))
            .toList();
    assertThat(selected).as("Services %s selects", monitorName).hasSize(1);
    Set<Object> ports = new TreeSet<>();
    Maps.list(selected.get(0), "spec", "ports").forEach(p -> ports.add(p.get("name")));
    assertThat(Maps.list(monitor, "spec", "endpoints"))
        .singleElement()
        .satisfies(
            endpoint -> {
              assertThat(ports).contains(endpoint.get("port"));
              assertThat(endpoint).containsEntry("path", "/q/metrics");
              assertThat(endpoint)
                  .containsEntry("interval", "30s")
                  .containsEntry("scrapeTimeout", "10s");
            });
    return Maps.path(selected.get(0), "metadata", "name").toString();
  }

  private void assertReaches(String serviceName, String workloadKind, String workloadName) {
    Map<String, Object> service = on.get("Service", serviceName);
    Map<String, Object> selector = Maps.map(service, "spec", "selector");
    Map<String, Object> workload = on.get(workloadKind, workloadName);
    assertThat(Maps.map(workload, "spec", "template", "metadata", "labels"))
        .containsAllEntriesOf(selector);
    List<Object> containerPorts = new ArrayList<>();
    Maps.list(workload, "spec", "template", "spec", "containers")
        .forEach(c -> Maps.list(c, "ports").forEach(p -> containerPorts.add(p.get("name"))));
    assertThat(Maps.list(service, "spec", "ports"))
        .allSatisfy(p -> assertThat(containerPorts).contains(p.get("targetPort")));
    // no other workload's pods are selected
    for (String kind : List.of("Deployment", "DaemonSet")) {
      on.ofKind(kind).stream()
          .filter(w -> !w.equals(workload))
          .forEach(
              w ->
                  assertThat(
                          Maps.map(w, "spec", "template", "metadata", "labels")
                              .entrySet()
                              .containsAll(selector.entrySet()))
                      .as("%s's pods are selected", Maps.path(w, "metadata", "name"))
                      .isFalse());
    }
  }

  private List<Map<String, Object>> relabelings(String monitorName) {
    return Maps.list(on.get("ServiceMonitor", monitorName), "spec", "endpoints", 0, "relabelings");
  }

  private static List<Map<String, Object>> alerts(Rendered rendered) {
    List<Map<String, Object>> alerts = new ArrayList<>();
    Map<String, Object> rule = rendered.get("PrometheusRule", "refit");
    Maps.list(rule, "spec", "groups").forEach(g -> alerts.addAll(Maps.list(g, "rules")));
    return alerts;
  }

  private static Map<String, Object> alert(Rendered rendered, String name) {
    return alerts(rendered).stream()
        .filter(a -> name.equals(a.get("alert")))
        .findFirst()
        .orElseThrow();
  }

  private String annotation(String alert, String key) {
    return annotationOf(on, alert, key);
  }

  private static String annotationOf(Rendered rendered, String alert, String key) {
    return String.valueOf(Maps.path(alert(rendered, alert), "annotations", key));
  }

  private static JsonNode dashboard(Rendered rendered) throws IOException {
    Object json = Maps.path(rendered.get("ConfigMap", "refit-dashboard"), "data", "refit.json");
    assertThat(json).isInstanceOf(String.class);
    return new ObjectMapper().readTree((String) json);
  }

  private static JsonNode variable(JsonNode dashboard, String name) {
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (name.equals(variable.path("name").asText())) {
        return variable;
      }
    }
    throw new AssertionError("no dashboard variable " + name);
  }

  /** The dashboard's panels that show data (rows only group them). */
  private static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if (!"row".equals(panel.path("type").asText())) {
        panels.add(panel);
      }
    }
    return panels;
  }

  /** Every PromQL expression: the alerts', the dashboard's queries and its variables'. */
  private List<String> queries() throws IOException {
    List<String> queries = new ArrayList<>();
    alerts(on).forEach(a -> queries.add(a.get("expr").toString()));
    JsonNode dashboard = dashboard(on);
    panels(dashboard)
        .forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
    queries.add(variable(dashboard, "policy").path("definition").asText());
    return queries;
  }

  private static final Pattern SELECTED = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*[{\\[]");
  private static final Pattern REFIT = Pattern.compile("\\b(refit_[a-zA-Z0-9_]+)");

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

  /** The metric names in the first column of docs/metrics.md's tables. */
  private static Set<String> documentedMetrics() throws IOException {
    Set<String> names = new TreeSet<>();
    Pattern row = Pattern.compile("^\\| `(refit_[a-z0-9_]+)` \\|");
    for (String line : Files.readAllLines(Chart.REPO.resolve("docs").resolve("metrics.md"))) {
      Matcher found = row.matcher(line);
      if (found.find()) {
        names.add(found.group(1));
      }
    }
    assertThat(names).contains("refit_nodes", "refit_agent_steps_total");
    return names;
  }
}
