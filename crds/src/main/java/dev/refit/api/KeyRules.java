package dev.refit.api;

/**
 * CEL rules and messages for label and annotation keys and label values, in the words the API
 * server uses for its own labels ({@code IsQualifiedName}, {@code IsValidLabelValue}), so a key
 * that could never be set on a Node is rejected where it is written rather than silently matching
 * nothing. One rule per way a key can be wrong, so the message says which.
 *
 * <p>Rules named {@code ONE_*} check the string they sit on; {@code ALL_*} check every key of a map
 * or every element of a list.
 */
public final class KeyRules {
  private KeyRules() {}

  public static final String NAME_LENGTH = "name part must be no more than 63 characters";
  public static final String NAME =
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end"
          + " with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')";
  public static final String PREFIX_LENGTH = "prefix part must be no more than 253 characters";
  public static final String PREFIX =
      "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
          + " characters, '-' or '.', and must start and end with an alphanumeric character"
          + " (e.g. 'example.com')";
  public static final String VALUE_LENGTH = "must be no more than 63 characters";
  public static final String VALUE =
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or"
          + " '.', and must start and end with an alphanumeric character";

  public static final String ONE_NAME_LENGTH = "self.matches(r'" + Patterns.KEY_NAME_LENGTH + "')";
  public static final String ONE_NAME = "self.matches(r'" + Patterns.KEY_NAME + "')";
  public static final String ONE_PREFIX_LENGTH =
      "self.matches(r'" + Patterns.KEY_PREFIX_LENGTH + "')";
  public static final String ONE_PREFIX = "self.matches(r'" + Patterns.KEY_PREFIX + "')";

  public static final String ALL_NAME_LENGTH =
      "self.all(k, k.matches(r'" + Patterns.KEY_NAME_LENGTH + "'))";
  public static final String ALL_NAME = "self.all(k, k.matches(r'" + Patterns.KEY_NAME + "'))";
  public static final String ALL_PREFIX_LENGTH =
      "self.all(k, k.matches(r'" + Patterns.KEY_PREFIX_LENGTH + "'))";
  public static final String ALL_PREFIX = "self.all(k, k.matches(r'" + Patterns.KEY_PREFIX + "'))";

  /** Every element of a list of label values. */
  public static final String ALL_VALUE_LENGTH = "self.all(v, size(v) <= 63)";

  public static final String ALL_VALUE = "self.all(v, v.matches(r'" + Patterns.LABEL_VALUE + "'))";

  /** Every value of a map whose values are label values. */
  public static final String ALL_MAP_VALUE_LENGTH = "self.all(k, size(self[k]) <= 63)";

  public static final String ALL_MAP_VALUE =
      "self.all(k, self[k].matches(r'" + Patterns.LABEL_VALUE + "'))";
}
