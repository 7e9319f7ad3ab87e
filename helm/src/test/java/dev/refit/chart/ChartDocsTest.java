package dev.refit.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every value in values.yaml is documented in the chart's README and checked by its schema. */
class ChartDocsTest {

  @Test
  void everyValueIsListedInTheChartReadme() throws IOException {
    String readme = Files.readString(Chart.DIR.resolve("README.md"));
    assertThat(leaves(Chart.defaultValues(), ""))
        .hasSizeGreaterThan(40)
        .allSatisfy(
            key ->
                assertThat(readme.contains("| `" + key + "` |"))
                    .as("README.md lists `%s`", key)
                    .isTrue());
  }

  @Test
  void everyValueIsDescribedByTheSchema() {
    Map<String, Object> schema = Chart.readYaml(Chart.DIR.resolve("values.schema.json"));
    for (String key : leaves(Chart.defaultValues(), "")) {
      Object node = schema;
      for (String part : key.split("\\.")) {
        node = Maps.path(node, "properties", part);
        assertThat(node).as("values.schema.json describes %s", key).isNotNull();
      }
    }
  }

  /** Dotted paths of the values; a map or list is a leaf where a person sets it whole. */
  static List<String> leaves(Map<String, Object> values, String prefix) {
    List<String> keys = new ArrayList<>();
    values.forEach(
        (key, value) -> {
          String path = prefix + key;
          if (value instanceof Map<?, ?> map && !map.isEmpty() && !isWhole(path)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> nested = (Map<String, Object>) map;
            keys.addAll(leaves(nested, path + "."));
          } else {
            keys.add(path);
          }
        });
    return keys;
  }

  /** Values documented as one row though they hold a map (requests and limits). */
  static boolean isWhole(String path) {
    return path.endsWith(".resources") || path.equals("metrics.dashboard.labels");
  }
}
