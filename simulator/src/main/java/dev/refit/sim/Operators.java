package dev.refit.sim;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's replicas, as its Deployment runs them: each its own process, electing a leader
 * through the Lease; one that exits or is killed is started again. With one replica, a kill is a
 * crash and a restart; with two, the standby takes the Lease over once it expires.
 */
final class Operators implements AutoCloseable {

  private static final String LEASE = "refit-operator";
  private static final String LEASE_NAMESPACE = "refit-system";

  private final List<OperatorProcess> replicas = new ArrayList<>();
  private final KubernetesClient client;
  private int failedStarts;

  Operators(Path app, String apiUrl, Path log, int count, KubernetesClient client) {
    this.client = client;
    for (int i = 0; i < count; i++) {
      replicas.add(new OperatorProcess(app, apiUrl, log, "refit-operator-" + i));
    }
  }

  /** Starts every replica; the first is ready (it leads), the others live (they wait). */
  void start() throws IOException, InterruptedException {
    for (int i = 0; i < replicas.size(); i++) {
      start(replicas.get(i), i == 0 ? "ready" : "live");
    }
  }

  /**
   * Starts a replica, and again if it exits while starting (it refuses to start when a cache did
   * not fill within its wait, and a start given up on is killed), as the kubelet restarts a crashed
   * container, waiting twice as long each time up to 8 s (the kubelet's back-off, shortened); gives
   * up after ten attempts.
   */
  private void start(OperatorProcess replica, String health)
      throws IOException, InterruptedException {
    long backOff = 500;
    for (int attempt = 1; ; attempt++) {
      try {
        replica.start(health);
        return;
      } catch (IOException e) {
        if (attempt == START_ATTEMPTS) {
          throw e;
        }
        failedStarts++;
        Thread.sleep(backOff);
        backOff = Math.min(backOff * 2, 8_000);
      }
    }
  }

  private static final int START_ATTEMPTS = 10;

  /** Starts that ended with the process exiting before it was up (and were tried again). */
  int failedStarts() {
    return failedStarts;
  }

  /**
   * Kills the replica holding the Lease (SIGKILL), or the first if none holds it, and starts it
   * again; a standby, if any, leads once the Lease expires.
   */
  void killLeader() throws IOException, InterruptedException {
    OperatorProcess leader = leader();
    leader.kill();
    start(leader, replicas.size() == 1 ? "ready" : "live");
  }

  /** Starts again, as the Deployment would, every replica that exited; returns their exit codes. */
  List<Integer> restartExited() throws IOException, InterruptedException {
    List<Integer> codes = new ArrayList<>();
    for (OperatorProcess replica : replicas) {
      if (!replica.alive()) {
        codes.add(replica.exitCode());
        start(replica, replicas.size() == 1 ? "ready" : "live");
      }
    }
    return codes;
  }

  private OperatorProcess leader() {
    Lease lease = client.leases().inNamespace(LEASE_NAMESPACE).withName(LEASE).get();
    String holder =
        lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    return replicas.stream()
        .filter(r -> r.identity().equals(holder))
        .findFirst()
        .orElse(replicas.get(0));
  }

  void sample() {
    replicas.forEach(OperatorProcess::sample);
  }

  long peakHeapBytes() {
    return replicas.stream().mapToLong(OperatorProcess::peakHeapBytes).max().orElse(0);
  }

  long peakRssBytes() {
    return replicas.stream().mapToLong(OperatorProcess::peakRssBytes).max().orElse(0);
  }

  int starts() {
    return replicas.stream().mapToInt(OperatorProcess::starts).sum();
  }

  @Override
  public void close() throws InterruptedException {
    for (OperatorProcess replica : replicas) {
      replica.close();
    }
  }
}
