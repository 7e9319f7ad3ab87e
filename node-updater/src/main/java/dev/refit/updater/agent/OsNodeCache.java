package dev.refit.updater.agent;

import dev.refit.api.OSNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Objects;

/**
 * The newest OSNode the agent has seen, from the watch or from its own writes. An event older than
 * what the agent wrote itself is ignored, so a late event cannot make it forget that it already
 * started an instruction. Only a changed spec wakes the agent: its own status writes come back as
 * events too, and they need no step.
 */
final class OsNodeCache {

  private OSNode latest;

  /** Keeps the object if it is not older; returns whether its spec changed. */
  synchronized boolean offer(OSNode osNode) {
    if (latest != null && older(osNode, latest)) {
      return false;
    }
    boolean changed =
        latest == null
            || !Objects.equals(
                Serialization.asJson(latest.getSpec()), Serialization.asJson(osNode.getSpec()));
    latest = osNode;
    return changed;
  }

  synchronized OSNode latest() {
    return latest;
  }

  synchronized void clear() {
    latest = null;
  }

  /** Compares resource versions as numbers, which the API server and mock server both use. */
  private static boolean older(OSNode candidate, OSNode current) {
    try {
      long a = Long.parseLong(candidate.getMetadata().getResourceVersion());
      long b = Long.parseLong(current.getMetadata().getResourceVersion());
      return a < b;
    } catch (RuntimeException e) {
      return false; // opaque versions: trust the event order
    }
  }
}
