package dev.refit.operator.status;

import dev.refit.api.CanaryStatus;
import dev.refit.operator.plan.Canaries.Phase;
import dev.refit.operator.plan.Round;
import java.util.ArrayList;

/** The canary phase as a person reads it: {@code status.canary} and its one line. */
final class CanaryReport {
  private CanaryReport() {}

  /** The phase as {@code status.canary} shows it. */
  static CanaryStatus status(Phase phase, int othersLeft) {
    CanaryStatus status = new CanaryStatus();
    status.setPhase(phase.stage().phase());
    status.setCount(phase.nodes().size());
    status.setNodes(
        new ArrayList<>(
            phase.nodes().subList(0, Math.min(CanaryStatus.MAX_NODES, phase.nodes().size()))));
    status.setSoakEndsAt(phase.soakEnds() == null ? null : phase.soakEnds().toString());
    status.setMessage(line(phase, othersLeft));
    return status;
  }

  /** Nodes that are not canaries and still have the target ahead of them. */
  static int othersLeft(Round.Result round) {
    Phase phase = round.plan().canary();
    return (int)
        round.nodes().stream()
            .filter(n -> !phase.nodes().contains(n.name()))
            .filter(
                n ->
                    switch (n.last().state()) {
                      case UpToDate, Failed, Skipped -> false;
                      default -> true;
                    })
            .count();
  }

  /** The phase in one line: "canaries a-1, a-2 soaking until ...; 8 other nodes wait". */
  static String line(Phase phase, int othersLeft) {
    String canaries = (phase.nodes().size() == 1 ? "canary " : "canaries ") + names(phase);
    String others =
        othersLeft == 0
            ? ""
            : "; "
                + othersLeft
                + " other node"
                + (othersLeft == 1 ? " waits" : "s wait")
                + " for "
                + (phase.nodes().size() == 1 ? "it" : "them");
    return switch (phase.stage()) {
      case UPDATING -> canaries + " updating first" + others;
      case SOAKING -> canaries + " updated, soaking until " + phase.soakEnds() + others;
      case PASSED ->
          phase.nodes().isEmpty()
              ? "no canary needed: the candidates already run the target"
              : canaries + " passed their soak; the rest of the fleet rolls out";
      case FAILED -> phase.halt().message();
      case NONE_SELECTED -> phase.hold();
    };
  }

  private static String names(Phase phase) {
    return PolicyStatusComposer.abbreviate(phase.nodes());
  }
}
