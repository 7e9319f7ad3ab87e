package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.OSUpdatePolicy;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chaos seed 4: the operator's Node cache missed a node's reboot, so the round saw it still Ready
 * on its old boot while its agent already reported the update applied; the round took it to
 * UpToDate, counted it back in service and gave its slot to the next node. The cache caught up
 * while the round asked the server for the policy, so the server's Nodes matched the cache by the
 * time they were compared, though not the view the round was planned from: the node was lifted
 * while NotReady and the next one cordoned, one more out of service than maxUnavailable.
 */
class StaleRebootViewIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private Fleet fleet;

  @BeforeEach
  void fleetOfThree() {
    fleet = new Fleet().withNodes("worker", 3, WORKERS);
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void aRoundPlannedBeforeTheCacheSawARebootStartsNothingInItsSlot() {
    // worker-1 never turns Ready on the new OS: it stays out of service after its reboot
    fleet.agents.badUpdate("worker-1");
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().setMaxUnavailable(new IntOrString(1));
    fleet.applyPausedUntilStaged(policy, 3);

    // once worker-1's agent reports the update applied (it rebooted, and stays NotReady), the
    // next round asks the server for the policy before it starts a node: that answer is held back
    // 6 s, and meanwhile the operator's Node watch is let through again, so its cache catches up
    // with the reboot after the round was planned and before it compares the server's Nodes
    AtomicBoolean rebooting = new AtomicBoolean();
    AtomicBoolean applied = new AtomicBoolean();
    AtomicBoolean held = new AtomicBoolean();
    fleet.api.holdBack(
        r -> {
          if ("PATCH".equals(r.method())
              && "worker-1".equals(r.name())
              && r.body().contains("\"state\":\"Rebooting\"")) {
            rebooting.set(true);
          }
          if (rebooting.get()
              && "PATCH".equals(r.method())
              && "osnodes/status".equals(r.resource())
              && "worker-1".equals(r.name())
              && r.body().contains("\"actionState\":\"Succeeded\"")) {
            applied.set(true);
          }
          return applied.get()
              && r.userAgent() != null
              && r.userAgent().contains("refit-operator")
              && "GET".equals(r.method())
              && "osupdatepolicies".equals(r.resource())
              && "workers".equals(r.name());
        },
        Duration.ofSeconds(6),
        () -> {
          held.set(true);
          fleet.api.restoreWatches();
        });
    // the operator's cache of Nodes stays as it is from here until the hold: it sees its own
    // cordon of worker-1 (it keeps what it wrote) but not the reboot
    fleet.api.severWatches("refit-operator", "nodes");
    fleet.resume("workers");

    fleet.awaitUntil(Duration.ofSeconds(60), held::get);
    fleet.assertForAtLeast(
        Duration.ofSeconds(15),
        "no node started while worker-1 is out of service",
        () -> fleet.invariants.violations().isEmpty());
    assertThat(fleet.invariants.cordonedByRefitNow()).doesNotContain("worker-2", "worker-3");
  }
}
