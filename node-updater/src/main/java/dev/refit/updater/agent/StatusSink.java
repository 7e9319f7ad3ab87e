package dev.refit.updater.agent;

import dev.refit.api.OSNode;
import dev.refit.api.OSNodeStatus;

/** Where the agent writes its OSNode's status (the Kubernetes API, or a test's memory). */
public interface StatusSink {

  /**
   * Replaces the status of the OSNode with this one, and returns the OSNode as written.
   *
   * @throws RuntimeException if the write failed; the agent retries later
   */
  OSNode write(OSNode osNode, OSNodeStatus status);
}
