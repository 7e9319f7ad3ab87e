package dev.refit.chart;

import java.util.List;
import java.util.Map;

/** Reading nested maps and lists of parsed YAML. */
final class Maps {

  private Maps() {}

  /** The value at this path of keys (and list indexes), or null where the path ends early. */
  static Object path(Object root, Object... keys) {
    Object current = root;
    for (Object key : keys) {
      if (current instanceof Map<?, ?> map) {
        current = map.get(key);
      } else if (current instanceof List<?> list && key instanceof Integer index) {
        current = index < list.size() ? list.get(index) : null;
      } else {
        return null;
      }
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object root, Object... keys) {
    Object value = path(root, keys);
    return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Object root, Object... keys) {
    Object value = path(root, keys);
    return value instanceof List<?> ? (List<Map<String, Object>>) value : List.of();
  }
}
