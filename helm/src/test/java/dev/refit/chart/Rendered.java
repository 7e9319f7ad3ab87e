package dev.refit.chart;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** What the chart rendered: the YAML stream and its objects. */
record Rendered(String yaml, List<Map<String, Object>> objects) {

  static Rendered of(String yaml) {
    return new Rendered(yaml, Chart.documents(yaml));
  }

  /** The objects of this kind. */
  List<Map<String, Object>> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  /** The one object of this kind and name. */
  Map<String, Object> get(String kind, String name) {
    return ofKind(kind).stream()
        .filter(o -> name.equals(Maps.path(o, "metadata", "name")))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("no " + kind + " named " + name));
  }

  /** Whether an object of this kind is rendered at all. */
  boolean has(String kind) {
    return !ofKind(kind).isEmpty();
  }
}
