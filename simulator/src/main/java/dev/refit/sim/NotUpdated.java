package dev.refit.sim;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Why a node did not reach the target, in one line a person reads. Pure. */
final class NotUpdated {

  private NotUpdated() {}

  /**
   * What is known of a node at the end.
   *
   * @param selectedBy the policies whose node selector matches it
   * @param state the lifecycle state its OSNode ended in, or null when it never had one
   * @param reason its OSNode's spec.reason, or null
   * @param message its OSNode's spec.message, or null
   * @param blockedBy evictions of its pods the API refused, by budget (namespace/name)
   * @param policyHalted why its policy is halted (its Degraded reason), or null when it is not
   */
  record Facts(
      List<String> selectedBy,
      String state,
      String reason,
      String message,
      Map<String, Long> blockedBy,
      String policyHalted) {

    Facts(
        List<String> selectedBy,
        String state,
        String reason,
        String message,
        Map<String, Long> blockedBy) {
      this(selectedBy, state, reason, message, blockedBy, null);
    }
  }

  /** The line for a node that was not updated. */
  static String because(Facts facts) {
    if (facts.selectedBy().isEmpty()) {
      return "never selected by a policy";
    }
    if (facts.selectedBy().size() > 1) {
      return "selected by more than one policy (" + String.join(", ", facts.selectedBy()) + ")";
    }
    StringBuilder line =
        new StringBuilder(facts.state() == null ? "no OSNode state seen" : facts.state());
    if (facts.reason() != null || facts.message() != null) {
      line.append(" (");
      if (facts.reason() != null) {
        line.append(facts.reason()).append(facts.message() == null ? "" : ": ");
      }
      line.append(facts.message() == null ? "" : facts.message()).append(')');
    }
    if (!facts.blockedBy().isEmpty()) {
      line.append("; evictions refused by ")
          .append(
              facts.blockedBy().entrySet().stream()
                  .map(
                      e ->
                          "PodDisruptionBudget "
                              + e.getKey()
                              + " ("
                              + e.getValue()
                              + (e.getValue() == 1 ? " time)" : " times)"))
                  .collect(Collectors.joining(", ")));
    }
    if (facts.policyHalted() != null && !"Failed".equals(facts.state())) {
      line.append("; policy ")
          .append(facts.selectedBy().get(0))
          .append(" is halted (")
          .append(facts.policyHalted())
          .append(')');
    }
    return line.toString();
  }
}
