package dev.refit.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The operator runs under the restricted Pod Security Standard; the node-updater has exactly the
 * privileges its host access needs (docs/security.md explains each), and no more.
 */
class PodSecurityTest {

  static final List<Rendered> RENDERS =
      List.of(Chart.render(), Chart.render(List.of(Chart.testValues("all-switches-on.yaml"))));

  @Test
  void everyOperatorContainerMeetsTheRestrictedPodSecurityStandard() {
    for (Rendered rendered : RENDERS) {
      Map<String, Object> pod = Maps.map(operator(rendered), "spec", "template", "spec");
      assertThat(Maps.path(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
      assertThat(Maps.path(pod, "securityContext", "seccompProfile", "type"))
          .isEqualTo("RuntimeDefault");
      assertThat(pod).doesNotContainKeys("hostPID", "hostIPC", "hostNetwork");
      assertThat(Maps.list(pod, "volumes"))
          .allSatisfy(volume -> assertThat(volume).doesNotContainKey("hostPath"));
      List<Map<String, Object>> containers = Maps.list(pod, "containers");
      assertThat(containers).isNotEmpty();
      for (Map<String, Object> container : containers) {
        Map<String, Object> security = Maps.map(container, "securityContext");
        assertThat(security)
            .containsEntry("runAsNonRoot", true)
            .containsEntry("allowPrivilegeEscalation", false)
            .containsEntry("readOnlyRootFilesystem", true)
            .doesNotContainKey("privileged");
        assertThat(Maps.path(security, "capabilities", "drop")).isEqualTo(List.of("ALL"));
        assertThat(Maps.path(security, "capabilities", "add")).isNull();
        assertThat(Maps.path(security, "seccompProfile", "type")).isEqualTo("RuntimeDefault");
        assertThat(Maps.map(container, "resources", "requests")).containsKeys("cpu", "memory");
        assertThat(Maps.map(container, "resources", "limits")).containsKeys("cpu", "memory");
      }
      assertThat(Maps.list(pod, "initContainers")).isEmpty();
    }
  }

  @Test
  void theOperatorIsHighlyAvailableProbedAndScrapable() {
    Map<String, Object> deployment = operator(Chart.render());
    assertThat(Maps.path(deployment, "spec", "replicas")).isEqualTo(2);
    Map<String, Object> pod = Maps.map(deployment, "spec", "template", "spec");
    assertThat(
            Maps.list(
                pod,
                "affinity",
                "podAntiAffinity",
                "preferredDuringSchedulingIgnoredDuringExecution"))
        .singleElement()
        .satisfies(
            term ->
                assertThat(Maps.path(term, "podAffinityTerm", "topologyKey"))
                    .isEqualTo("kubernetes.io/hostname"));
    Map<String, Object> container = Maps.list(pod, "containers").get(0);
    assertThat(Maps.path(container, "startupProbe", "httpGet", "path"))
        .isEqualTo("/q/health/started");
    // the start may wait a minute for the policies' cache and another for the rest, then refuses
    // with its reason: the kubelet must not restart it before
    int period = ((Number) Maps.path(container, "startupProbe", "periodSeconds")).intValue();
    int failures = ((Number) Maps.path(container, "startupProbe", "failureThreshold")).intValue();
    assertThat(period * failures).isGreaterThan(2 * 60 + 30);
    assertThat(Maps.path(container, "livenessProbe", "httpGet", "path"))
        .isEqualTo("/q/health/live");
    assertThat(Maps.path(container, "readinessProbe", "httpGet", "path"))
        .isEqualTo("/q/health/ready");
    assertThat(Maps.list(container, "ports"))
        .singleElement()
        .satisfies(
            p -> assertThat(p).containsEntry("name", "http").containsEntry("containerPort", 8080));
    assertThat(env(container)).containsKeys("POD_NAMESPACE", "REFIT_NODE_NAME");

    Map<String, Object> budget = Chart.render().get("PodDisruptionBudget", "refit-operator");
    assertThat(Maps.path(budget, "spec", "maxUnavailable")).isEqualTo(1);
    assertThat(Maps.map(budget, "spec", "selector", "matchLabels"))
        .isEqualTo(Maps.map(deployment, "spec", "template", "metadata", "labels"));
  }

  @Test
  void theNodeUpdaterHasOnlyTheHostAccessItsBackendsUse() {
    Map<String, Object> pod = Maps.map(nodeUpdater(Chart.render()), "spec", "template", "spec");
    assertThat(pod).containsEntry("hostPID", true).doesNotContainKeys("hostNetwork", "hostIPC");
    assertThat(hostPaths(pod)).containsExactlyInAnyOrder("/run/refit", "/var/lib/refit");
    Map<String, Object> container = Maps.list(pod, "containers").get(0);
    assertThat(Maps.map(container, "securityContext"))
        .containsEntry("privileged", true)
        .containsEntry("readOnlyRootFilesystem", true);
    assertThat(Maps.list(container, "volumeMounts"))
        .filteredOn(m -> !"tmp".equals(m.get("name")))
        .extracting(m -> m.get("mountPath"))
        .containsExactlyInAnyOrder("/run/refit", "/var/lib/refit");
  }

  @Test
  void inChrootModeTheHostRootIsMountedInsteadOfSharingTheHostsPids() {
    Rendered chroot = Chart.renderWith("nodeUpdater:\n  hostExecution: chroot\n");
    Map<String, Object> pod = Maps.map(nodeUpdater(chroot), "spec", "template", "spec");
    assertThat(pod).doesNotContainKey("hostPID");
    assertThat(hostPaths(pod)).containsExactlyInAnyOrder("/run/refit", "/var/lib/refit", "/");
    assertThat(env(Maps.list(pod, "containers").get(0)))
        .containsEntry("REFIT_AGENT_HOST_EXECUTION", "chroot");
  }

  @Test
  void theNodeUpdaterRunsOnEveryNodeAsItsOwnNodesCriticalPodOneAtATime() {
    Map<String, Object> daemonSet = nodeUpdater(Chart.render());
    Map<String, Object> pod = Maps.map(daemonSet, "spec", "template", "spec");
    assertThat(Maps.list(pod, "tolerations")).containsExactly(Map.of("operator", "Exists"));
    assertThat(pod).containsEntry("priorityClassName", "system-node-critical");
    assertThat(Maps.map(daemonSet, "spec", "updateStrategy", "rollingUpdate"))
        .containsEntry("maxUnavailable", 1)
        .containsEntry("maxSurge", 0);
    Map<String, Object> container = Maps.list(pod, "containers").get(0);
    Map<String, Object> nodeName =
        Maps.list(container, "env").stream()
            .filter(e -> "NODE_NAME".equals(e.get("name")))
            .findFirst()
            .orElseThrow();
    assertThat(Maps.path(nodeName, "valueFrom", "fieldRef", "fieldPath"))
        .isEqualTo("spec.nodeName");
  }

  @Test
  void theNodeUpdatersMemoryRequestCoversItsMeasuredResidentMemory() {
    Map<String, Object> container =
        Maps.list(nodeUpdater(Chart.render()), "spec", "template", "spec", "containers").get(0);
    // docs/benchmarks.md: 87.4-87.6 MiB idle, 90.3 MiB after a 300 s soak.
    assertThat(mebibytes(Maps.path(container, "resources", "requests", "memory")))
        .isGreaterThanOrEqualTo(96);
    assertThat(mebibytes(Maps.path(container, "resources", "limits", "memory")))
        .isGreaterThan(mebibytes(Maps.path(container, "resources", "requests", "memory")));
  }

  static long mebibytes(Object quantity) {
    String text = String.valueOf(quantity);
    if (text.endsWith("Gi")) {
      return Long.parseLong(text.substring(0, text.length() - 2)) * 1024;
    }
    assertThat(text).endsWith("Mi");
    return Long.parseLong(text.substring(0, text.length() - 2));
  }

  static Map<String, Object> operator(Rendered rendered) {
    return rendered.get("Deployment", "refit-operator");
  }

  static Map<String, Object> nodeUpdater(Rendered rendered) {
    return rendered.get("DaemonSet", "refit-node-updater");
  }

  static Set<Object> hostPaths(Map<String, Object> pod) {
    return Maps.list(pod, "volumes").stream()
        .filter(v -> v.containsKey("hostPath"))
        .map(v -> Maps.path(v, "hostPath", "path"))
        .collect(Collectors.toSet());
  }

  static Map<String, Object> env(Map<String, Object> container) {
    return Maps.list(container, "env").stream()
        .collect(
            Collectors.toMap(
                e -> (String) e.get("name"),
                e ->
                    e.containsKey("value") ? e.get("value") : "(from " + e.get("valueFrom") + ")"));
  }
}
