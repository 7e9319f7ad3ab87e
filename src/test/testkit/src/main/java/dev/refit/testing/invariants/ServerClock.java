package dev.refit.testing.invariants;

import java.time.Instant;

/**
 * When the API server wrote each {@code resourceVersion}: a judge that stamps what it sees with the
 * server's time instead of the moment its own watch delivered it is not misled by its watches'
 * delays (one watch a second behind another under load would otherwise put a cordon after an edit
 * that came later).
 */
@FunctionalInterface
public interface ServerClock {

  /** When the server wrote this resourceVersion, or null when it does not know. */
  Instant written(String resourceVersion);

  /** A server that tells nothing: every object is stamped when the watch delivered it. */
  ServerClock NONE = resourceVersion -> null;
}
