package dev.refit.chart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The chart in {@code helm/refit}, rendered by the real Helm (helm-java runs Helm's own Go code) as
 * {@code helm template refit helm/refit -n refit-system} would.
 */
final class Chart {

  /** The repository's root (the build passes it; tests run in {@code helm/}). */
  static final Path REPO = Path.of(System.getProperty("refit.repo.root", "..")).normalize();

  static final Path DIR = REPO.resolve("helm").resolve("refit");
  static final String RELEASE = "refit";
  static final String NAMESPACE = "refit-system";

  /**
   * The Kubernetes version rendered for: the oldest the chart supports (Chart.yaml kubeVersion).
   */
  static final String KUBE_VERSION = "1.30.0";

  static final ObjectMapper YAML = new YAMLMapper();

  private Chart() {}

  /** Renders the chart with its default values. */
  static Rendered render() {
    return render(List.of());
  }

  /** Renders the chart with these values files laid over the defaults, in order. */
  static Rendered render(List<Path> valuesFiles) {
    TemplateCommand template =
        new Helm(DIR)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    valuesFiles.forEach(template::withValuesFile);
    return Rendered.of(template.call());
  }

  /** Renders the chart with these values (a YAML document) laid over the defaults. */
  static Rendered renderWith(String valuesYaml) {
    return render(List.of(valuesFile(valuesYaml)));
  }

  /** A temporary values file holding this YAML. */
  static Path valuesFile(String valuesYaml) {
    try {
      Path file = Files.createTempFile("refit-values", ".yaml");
      file.toFile().deleteOnExit();
      Files.writeString(file, valuesYaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A values file of the tests' resources ({@code src/test/resources/values/NAME}). */
  static Path testValues(String name) {
    return Path.of("src", "test", "resources", "values", name).toAbsolutePath();
  }

  /** Chart.yaml, parsed. */
  static Map<String, Object> chartYaml() {
    return readYaml(DIR.resolve("Chart.yaml"));
  }

  /** The chart's default values (values.yaml), parsed. */
  static Map<String, Object> defaultValues() {
    return readYaml(DIR.resolve("values.yaml"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readYaml(Path file) {
    try {
      return YAML.readValue(file.toFile(), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The objects of a multi-document YAML stream, as maps (empty documents skipped). */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> documents(String yaml) {
    List<Map<String, Object>> documents = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(yaml)) {
      var iterator = YAML.readValues(parser, Map.class);
      while (iterator.hasNext()) {
        Map<String, Object> document = iterator.next();
        if (document != null && !document.isEmpty()) {
          documents.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return documents;
  }
}
