package dev.refit.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Field selectors on pod fields the mock server cannot filter by. Its store keys objects by
 * metadata attributes only, so a stored pod gets one extra key-only label per supported field
 * (never in the stored JSON, so clients never see it), and a request's {@code fieldSelector} on
 * that field is rewritten into a {@code labelSelector} on the synthetic label.
 */
final class PodFieldSelectors {

  /** Supported pod fields and the synthetic label that stands for each in the store's keys. */
  private static final Map<String, String> SYNTHETIC_LABELS =
      Map.of(
          "spec.nodeName", "field.harness.refit.dev/spec.nodeName",
          "status.phase", "field.harness.refit.dev/status.phase");

  private static final Pattern REQUIREMENT = Pattern.compile("([^=!]+)(==|=|!=)(.*)");

  private PodFieldSelectors() {}

  /** A copy of the pod to derive the store key from: its labels plus the synthetic ones. */
  static GenericKubernetesResource keyedCopy(String podJson) {
    GenericKubernetesResource pod =
        Serialization.unmarshal(podJson, GenericKubernetesResource.class);
    Map<String, String> labels = new HashMap<>();
    if (pod.getMetadata().getLabels() != null) {
      labels.putAll(pod.getMetadata().getLabels());
    }
    putIfSet(labels, "spec.nodeName", pod.get("spec", "nodeName"));
    putIfSet(labels, "status.phase", pod.get("status", "phase"));
    pod.getMetadata().setLabels(labels);
    return pod;
  }

  private static void putIfSet(Map<String, String> labels, String field, Object value) {
    if (value instanceof String text && !text.isEmpty()) {
      labels.put(SYNTHETIC_LABELS.get(field), text);
    }
  }

  /**
   * The request path with supported field requirements moved into the label selector; unchanged if
   * it has none.
   */
  static String rewrite(String path) {
    int queryStart = path.indexOf('?');
    if (queryStart < 0 || !path.contains("fieldSelector")) {
      return path;
    }
    List<String> params = new ArrayList<>(List.of(path.substring(queryStart + 1).split("&")));
    List<String> keptFields = new ArrayList<>();
    List<String> labelRequirements = new ArrayList<>();
    int fieldIndex = -1;
    int labelIndex = -1;
    for (int i = 0; i < params.size(); i++) {
      String name = params.get(i).split("=", 2)[0];
      if (name.equals("fieldSelector")) {
        fieldIndex = i;
      } else if (name.equals("labelSelector")) {
        labelIndex = i;
      }
    }
    if (fieldIndex < 0) {
      return path;
    }
    for (String requirement : value(params.get(fieldIndex)).split(",")) {
      String label = asLabelRequirement(requirement.trim());
      if (label == null) {
        keptFields.add(requirement);
      } else {
        labelRequirements.add(label);
      }
    }
    if (labelRequirements.isEmpty()) {
      return path;
    }
    if (labelIndex >= 0) {
      labelRequirements.add(0, value(params.get(labelIndex)));
      params.set(labelIndex, "labelSelector=" + encode(String.join(",", labelRequirements)));
    } else {
      params.add("labelSelector=" + encode(String.join(",", labelRequirements)));
    }
    if (keptFields.isEmpty()) {
      params.remove(fieldIndex);
    } else {
      params.set(fieldIndex, "fieldSelector=" + encode(String.join(",", keptFields)));
    }
    return path.substring(0, queryStart + 1) + String.join("&", params);
  }

  private static String asLabelRequirement(String requirement) {
    Matcher m = REQUIREMENT.matcher(requirement);
    if (!m.matches() || !SYNTHETIC_LABELS.containsKey(m.group(1).trim())) {
      return null;
    }
    String label = SYNTHETIC_LABELS.get(m.group(1).trim());
    String value = m.group(3).trim();
    boolean negated = m.group(2).equals("!=");
    if (value.isEmpty()) {
      // Unset fields carry no synthetic label: "field=" means "no label", "field!=" means "any".
      return negated ? label : "!" + label;
    }
    return label + (negated ? "!=" : "=") + value;
  }

  private static String value(String param) {
    String[] parts = param.split("=", 2);
    return parts.length < 2 ? "" : URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
