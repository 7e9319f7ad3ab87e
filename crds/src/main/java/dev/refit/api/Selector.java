package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A label selector with the semantics of Kubernetes' metav1.LabelSelector, but never empty: an
 * empty selector would silently match everything.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value =
        "(has(self.matchLabels) && size(self.matchLabels) > 0)"
            + " || (has(self.matchExpressions) && size(self.matchExpressions) > 0)",
    message =
        "selector is empty: give at least one matchLabels entry or matchExpressions requirement"
            + " (an empty selector would match everything)")
public class Selector {

  @JsonPropertyDescription(
      "Labels that must all be present with exactly these values. Keys are label keys"
          + " (optional DNS prefix and '/', then a name of at most 63 characters); values are"
          + " label values of at most 63 characters.")
  @Size(max = 32)
  @ValidationRule(
      value = KeyRules.ALL_NAME_LENGTH,
      message = "matchLabels keys: " + KeyRules.NAME_LENGTH)
  @ValidationRule(value = KeyRules.ALL_NAME, message = "matchLabels keys: " + KeyRules.NAME)
  @ValidationRule(
      value = KeyRules.ALL_PREFIX_LENGTH,
      message = "matchLabels keys: " + KeyRules.PREFIX_LENGTH)
  @ValidationRule(value = KeyRules.ALL_PREFIX, message = "matchLabels keys: " + KeyRules.PREFIX)
  @ValidationRule(
      value = KeyRules.ALL_MAP_VALUE_LENGTH,
      message = "matchLabels values: " + KeyRules.VALUE_LENGTH)
  @ValidationRule(value = KeyRules.ALL_MAP_VALUE, message = "matchLabels values: " + KeyRules.VALUE)
  private Map<String, String> matchLabels = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "Requirements on labels, all of which must hold (In, NotIn, Exists, DoesNotExist).")
  @Size(max = 16)
  private List<SelectorRequirement> matchExpressions = new ArrayList<>();

  public Selector() {}

  /** A selector matching exactly these labels. */
  public static Selector matching(Map<String, String> labels) {
    Selector selector = new Selector();
    selector.setMatchLabels(new LinkedHashMap<>(labels));
    return selector;
  }

  public Map<String, String> getMatchLabels() {
    return matchLabels;
  }

  public void setMatchLabels(Map<String, String> matchLabels) {
    this.matchLabels = matchLabels == null ? new LinkedHashMap<>() : matchLabels;
  }

  public List<SelectorRequirement> getMatchExpressions() {
    return matchExpressions;
  }

  public void setMatchExpressions(List<SelectorRequirement> matchExpressions) {
    this.matchExpressions = matchExpressions == null ? new ArrayList<>() : matchExpressions;
  }

  /** Whether the given labels satisfy every part of this selector. */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> actual = labels == null ? Map.of() : labels;
    for (Map.Entry<String, String> wanted : matchLabels.entrySet()) {
      if (!wanted.getValue().equals(actual.get(wanted.getKey()))) {
        return false;
      }
    }
    return matchExpressions.stream().allMatch(requirement -> requirement.matches(actual));
  }

  /**
   * Whether the labels satisfy a Kubernetes label selector (a PodDisruptionBudget's, say), with the
   * same rules as {@link #matches(Map)}. A null selector selects nothing; an operator this API does
   * not know matches nothing, as the API server would have rejected it.
   */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Selector ours = new Selector();
    ours.setMatchLabels(selector.getMatchLabels());
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        SelectorRequirement.Operator operator;
        try {
          operator = SelectorRequirement.Operator.valueOf(requirement.getOperator());
        } catch (IllegalArgumentException | NullPointerException e) {
          return false;
        }
        ours.getMatchExpressions()
            .add(new SelectorRequirement(requirement.getKey(), operator, requirement.getValues()));
      }
    }
    return ours.matches(labels);
  }

  /** Whether the selector selects nothing by construction (no labels, no requirements). */
  @JsonIgnore
  public boolean isEmpty() {
    return matchLabels.isEmpty() && matchExpressions.isEmpty();
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    matchLabels.forEach((k, v) -> parts.add(k + "=" + v));
    matchExpressions.forEach(e -> parts.add(e.toString()));
    return String.join(",", parts);
  }
}
