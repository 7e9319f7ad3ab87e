package dev.refit.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The scraping the chart sets up on request: the switches, the node-updaters' headless Service and
 * the ServiceMonitors; each off by default. The alerts and the dashboard are {@link
 * AlertsAndDashboardTest}'s.
 */
class MonitoringTest {

  static final String OPERATOR_JOB = "refit-operator";
  static final String AGENT_JOB = "refit-node-updater";

  final Rendered on = Monitoring.renderAllOn();

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
}
