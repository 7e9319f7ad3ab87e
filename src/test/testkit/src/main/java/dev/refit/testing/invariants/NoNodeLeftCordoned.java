package dev.refit.testing.invariants;

import dev.refit.api.ActionState;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code noNodeLeftCordoned}: at the end no node that is Ready still carries Refit's cordon, except
 * what the design keeps cordoned on purpose (docs/design.md, "Failed nodes"): a failed node whose
 * agent prepared a reboot in the boot it still runs and has not settled it (it may still go down),
 * or a failed node that runs the target but failed its health check (ReadyTimeout). A NotReady node
 * may stay cordoned: it may be broken. Judged from the Node and the agent's report on the OSNode.
 */
public final class NoNodeLeftCordoned implements Invariant {

  public static final String NAME = Violation.NO_NODE_LEFT_CORDONED;

  @Override
  public List<Violation> atEnd(SeenNodes fleet) {
    List<Violation> found = new ArrayList<>();
    fleet
        .nodes()
        .forEach(
            (name, node) -> {
              if (NodeReadings.refitCordoned(node)
                  && NodeReadings.ready(node)
                  && !keptOnPurpose(node, fleet.osNode(name))) {
                found.add(
                    Violation.seen(
                        NAME,
                        name,
                        "Ready but still cordoned by Refit at the end (state "
                            + fleet.state(name)
                            + ")"));
              }
            });
    return found;
  }

  /** Whether the design keeps this Ready node cordoned: failed, and may reboot or be broken. */
  static boolean keptOnPurpose(Node node, OSNode osNode) {
    if (osNode == null || osNode.getSpec().getState() != NodeState.Failed) {
      return false;
    }
    var status = osNode.getStatus();
    if (status == null) {
      return false;
    }
    boolean mayStillReboot =
        status.getActionState() == ActionState.Running
            && status.getBootIdBeforeAction() != null
            && status.getBootIdBeforeAction().equals(NodeReadings.bootId(node));
    // on the target but unhealthy, or unconfirmed by the system an afterReboot gate waits for
    boolean unhealthyOnTarget =
        ("ReadyTimeout".equals(osNode.getSpec().getReason())
                || "GateTimedOut".equals(osNode.getSpec().getReason()))
            && Objects.equals(status.getCurrentRevision(), osNode.getSpec().getDesiredRevision());
    return mayStillReboot || unhealthyOnTarget;
  }
}
