package dev.refit.operator.act;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code refit_operator_leader}: 1 on the replica that runs the reconcilers, 0 on one that waits
 * for the Lease. Summed over the replicas it is 1; 0 means no replica acts on any policy.
 *
 * <p>With leader election on (the prod profile, as the chart runs it), the Lease's callbacks set
 * it. With leader election off (the dev and test profiles) the one process reconciles from the
 * start, so it reads 1 once the operator has started: the gauge says who acts, and that process
 * does.
 */
public final class LeaderMetrics {

  private final AtomicInteger leading = new AtomicInteger();

  /** Registers the gauge at 0: a replica does not lead until it says so. */
  public LeaderMetrics(MeterRegistry registry) {
    Gauge.builder("refit.operator.leader", leading, AtomicInteger::get)
        .description("1 on the operator replica that holds the Lease and reconciles, else 0")
        .register(registry);
  }

  /**
   * The Lease's callbacks: leading from when this replica takes the Lease until it loses it (after
   * which the Operator SDK ends the process, so the next replica's gauge takes over).
   */
  public LeaderCallbacks callbacks() {
    return new LeaderCallbacks(() -> leading.set(1), () -> leading.set(0), newLeader -> {});
  }

  /** There is no Lease to win: this process reconciles on its own. */
  public void electionOff() {
    leading.set(1);
  }
}
