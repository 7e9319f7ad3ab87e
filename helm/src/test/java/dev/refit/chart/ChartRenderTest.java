package dev.refit.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart lints clean and renders, with its defaults and with every optional switch on, into
 * objects that parse strictly into their Kubernetes model types.
 */
class ChartRenderTest {

  static final Path ALL_ON = Chart.testValues("all-switches-on.yaml");

  @Test
  void theChartLintsCleanWithItsDefaultValues() {
    assertLintsClean(Chart.DIR);
  }

  @Test
  void theChartLintsCleanWithEveryOptionalSwitchOn(@TempDir Path copy) throws IOException {
    copyChart(Chart.DIR, copy);
    Map<String, Object> values = deepMerge(Chart.defaultValues(), Chart.readYaml(ALL_ON));
    Chart.YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
    assertLintsClean(copy);
  }

  static void assertLintsClean(Path chart) {
    LintResult lint = new Helm(chart).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @Test
  void theDefaultsRenderTheOperatorTheNodeUpdaterTheirRbacAndTheAdmissionPolicy() {
    assertThat(kinds(Chart.render()))
        .containsExactlyInAnyOrder(
            "Deployment",
            "DaemonSet",
            "PodDisruptionBudget",
            "Service",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding");
  }

  @Test
  void everyOptionalSwitchAddsItsObjects() {
    assertThat(kinds(Chart.render(List.of(ALL_ON))))
        .contains("ServiceMonitor", "PrometheusRule", "NetworkPolicy", "ConfigMap");
  }

  @Test
  void everyRenderedObjectParsesStrictlyIntoItsModelType() {
    for (Rendered rendered : List.of(Chart.render(), Chart.render(List.of(ALL_ON)))) {
      assertThat(rendered.objects()).isNotEmpty();
      for (Map<String, Object> object : rendered.objects()) {
        HasMetadata model = StrictModels.parse(object);
        assertThat(StrictModels.unknownFields(model))
            .as("fields %s %s does not know", object.get("kind"), model.getClass().getSimpleName())
            .isEmpty();
        assertThat(model.getMetadata().getName()).isNotBlank();
        assertThat(model.getMetadata().getLabels())
            .containsEntry("app.kubernetes.io/part-of", "refit")
            .containsKey("helm.sh/chart");
      }
    }
  }

  @Test
  void aMisspelledFieldIsFoundByTheStrictParse() {
    Map<String, Object> misspelled =
        new LinkedHashMap<>(Chart.render().ofKind("Deployment").get(0));
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) misspelled.get("spec"));
    spec.put("replica", 3);
    misspelled.put("spec", spec);
    assertThat(StrictModels.unknownFields(StrictModels.parse(misspelled)))
        .containsExactly("spec.replica");
  }

  @Test
  void namespacedObjectsAreInTheReleaseNamespaceOrTheOneTheirValueNames() {
    Rendered rendered = Chart.render(List.of(ALL_ON));
    Set<String> allowed = Set.of(Chart.NAMESPACE, "default", "selinux-policies", "monitoring");
    for (Map<String, Object> object : rendered.objects()) {
      String kind = (String) object.get("kind");
      Object namespace = Maps.path(object, "metadata", "namespace");
      if (Set.of("ClusterRole", "ClusterRoleBinding", "ValidatingAdmissionPolicy").contains(kind)
          || kind.equals("ValidatingAdmissionPolicyBinding")) {
        assertThat(namespace).as("%s is cluster-scoped", kind).isNull();
      } else {
        assertThat(namespace).as("namespace of %s", kind).isNotNull().isIn(allowed);
      }
    }
  }

  @Test
  void theOperatorMayReachWhatOperatorEgressAddsAndTheNodeUpdaterOnlyTheApi() {
    Rendered rendered = Chart.render(List.of(ALL_ON));
    List<Map<String, Object>> operator =
        Maps.list(rendered.get("NetworkPolicy", "refit-operator"), "spec", "egress");
    List<Map<String, Object>> nodeUpdater =
        Maps.list(rendered.get("NetworkPolicy", "refit-node-updater"), "spec", "egress");

    assertThat(nodeUpdater).hasSize(1);
    assertThat(operator).hasSize(3).startsWith(nodeUpdater.get(0));
    assertThat(Maps.path(operator.get(2), "ports"))
        .isEqualTo(List.of(Map.of("port", 9090, "protocol", "TCP")));
  }

  static List<String> kinds(Rendered rendered) {
    return rendered.objects().stream()
        .map(o -> (String) o.get("kind"))
        .distinct()
        .collect(Collectors.toList());
  }

  static void copyChart(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  /** Values laid over values: maps merge key by key, anything else replaces. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> over) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    over.forEach(
        (key, value) -> {
          if (value instanceof Map<?, ?> map && merged.get(key) instanceof Map<?, ?> existing) {
            merged.put(key, deepMerge((Map<String, Object>) existing, (Map<String, Object>) map));
          } else {
            merged.put(key, value);
          }
        });
    return merged;
  }
}
