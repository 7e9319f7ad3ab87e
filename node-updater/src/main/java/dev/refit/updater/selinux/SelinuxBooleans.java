package dev.refit.updater.selinux;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * SELinux booleans as {@code getsebool -a} lists them.
 *
 * @param selinuxEnabled false when getsebool said "SELinux is disabled" (there are no booleans)
 * @param values every boolean by name, in the order listed
 */
public record SelinuxBooleans(boolean selinuxEnabled, Map<String, Value> values) {

  /**
   * One boolean's state.
   *
   * @param current the value in force now
   * @param pending the value that a policy commit will set (equal to current unless a change is
   *     pending; getsebool prints {@code pending: on} only when they differ)
   */
  public record Value(boolean current, boolean pending) {}

  /** Copies the values, keeping their order. */
  public SelinuxBooleans {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The result for a host without SELinux. */
  public static SelinuxBooleans disabled() {
    return new SelinuxBooleans(false, Map.of());
  }

  /** The current value of one boolean, if the policy defines it. */
  public Optional<Boolean> current(String name) {
    return Optional.ofNullable(values.get(name)).map(Value::current);
  }
}
