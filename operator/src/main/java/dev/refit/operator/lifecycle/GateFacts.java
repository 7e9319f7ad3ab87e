package dev.refit.operator.lifecycle;

import java.time.Duration;
import java.util.List;

/**
 * The policy's gates ({@code spec.gates}) as one node shows them: which annotation keys an external
 * system has not yet set to {@code "true"} on the Node, and how long it may take.
 *
 * @param beforeDrain keys still unset that must be set before the node is drained
 * @param afterReboot keys still unset that must be set after its reboot before it is uncordoned
 * @param timeout how long each gate may take
 * @param skipOnTimeout whether a beforeDrain gate that times out skips the node (else it halts)
 */
public record GateFacts(
    List<String> beforeDrain, List<String> afterReboot, Duration timeout, boolean skipOnTimeout) {

  /** No gates. */
  public static final GateFacts NONE = new GateFacts(List.of(), List.of(), Duration.ZERO, false);

  /** The keys as a person reads them. */
  static String named(List<String> keys) {
    return (keys.size() == 1 ? "gate " : "gates ") + String.join(", ", keys);
  }
}
