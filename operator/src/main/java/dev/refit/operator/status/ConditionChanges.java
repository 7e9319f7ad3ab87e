package dev.refit.operator.status;

import dev.refit.api.Condition;
import dev.refit.api.OSUpdatePolicyStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The operator's log lines for a policy's rounds: one per condition whose status or reason changed,
 * so that the log says why the operator waits (a slot held, a node not answering, a gate, a window)
 * as well as what it does. A message that only counts on (3 of 20 updated) writes nothing.
 */
public final class ConditionChanges {

  /** Log lines cut their message here; the whole message is in the policy's status. */
  static final int MAX_MESSAGE = 400;

  private ConditionChanges() {}

  /** One line per condition of {@code after} whose status or reason differs from {@code before}. */
  public static List<String> lines(OSUpdatePolicyStatus before, OSUpdatePolicyStatus after) {
    List<String> lines = new ArrayList<>();
    if (after == null || after.getConditions() == null) {
      return lines;
    }
    for (Condition now : after.getConditions()) {
      Condition then = before == null ? null : before.condition(now.getType());
      if (then == null
          || then.getStatus() != now.getStatus()
          || !Objects.equals(then.getReason(), now.getReason())) {
        lines.add(line(now));
      }
    }
    return lines;
  }

  private static String line(Condition condition) {
    // the message keeps MAX_MESSAGE characters, then "…"
    String message = Condition.shortened(condition.getMessage(), MAX_MESSAGE + 1);
    return condition.getType()
        + "="
        + condition.getStatus()
        + " ("
        + condition.getReason()
        + ")"
        + (message == null || message.isEmpty() ? "" : ": " + message);
  }
}
