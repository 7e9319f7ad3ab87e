package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One requirement of a {@link Selector}: a label key, an operator and values. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value =
        "!has(self.operator) || (self.operator in ['In', 'NotIn']"
            + " ? (has(self.values) && size(self.values) > 0)"
            + " : (!has(self.values) || size(self.values) == 0))",
    message = "operators In and NotIn need at least one value; Exists and DoesNotExist take none")
public class SelectorRequirement {

  /** How a requirement relates a label to its values. */
  public enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist
  }

  @JsonPropertyDescription("The label key the requirement applies to.")
  @Required
  @Size(min = 1, max = 317)
  @ValidationRule(value = KeyRules.ONE_NAME_LENGTH, message = "key: " + KeyRules.NAME_LENGTH)
  @ValidationRule(value = KeyRules.ONE_NAME, message = "key: " + KeyRules.NAME)
  @ValidationRule(value = KeyRules.ONE_PREFIX_LENGTH, message = "key: " + KeyRules.PREFIX_LENGTH)
  @ValidationRule(value = KeyRules.ONE_PREFIX, message = "key: " + KeyRules.PREFIX)
  private String key;

  @JsonPropertyDescription(
      "How the label relates to the values: In (label has one of the values), NotIn (label is"
          + " absent or has none of them), Exists (label is present), DoesNotExist.")
  @Required
  private Operator operator;

  @JsonPropertyDescription(
      "Label values for In and NotIn (at least one); must be empty for Exists and DoesNotExist.")
  @Size(max = 64)
  @ValidationRule(value = KeyRules.ALL_VALUE_LENGTH, message = "values: " + KeyRules.VALUE_LENGTH)
  @ValidationRule(value = KeyRules.ALL_VALUE, message = "values: " + KeyRules.VALUE)
  private List<String> values = new ArrayList<>();

  public SelectorRequirement() {}

  public SelectorRequirement(String key, Operator operator, List<String> values) {
    this.key = key;
    this.operator = operator;
    setValues(values);
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public Operator getOperator() {
    return operator;
  }

  public void setOperator(Operator operator) {
    this.operator = operator;
  }

  public List<String> getValues() {
    return values;
  }

  public void setValues(List<String> values) {
    this.values = values == null ? new ArrayList<>() : new ArrayList<>(values);
  }

  /** Whether the labels satisfy this requirement. */
  public boolean matches(Map<String, String> labels) {
    String actual = labels.get(key);
    return switch (operator) {
      case In -> actual != null && values.contains(actual);
      case NotIn -> actual == null || !values.contains(actual);
      case Exists -> labels.containsKey(key);
      case DoesNotExist -> !labels.containsKey(key);
    };
  }

  @Override
  public String toString() {
    return switch (operator) {
      case In -> key + " in (" + String.join(",", values) + ")";
      case NotIn -> key + " notin (" + String.join(",", values) + ")";
      case Exists -> key;
      case DoesNotExist -> "!" + key;
    };
  }
}
