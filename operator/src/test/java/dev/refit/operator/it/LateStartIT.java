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
 * Chaos seed 18: a round that started many nodes set its last cordon seconds after it was planned
 * (its writes queued behind others), after a person had narrowed the policy, and the cordon took
 * the policy over its new limit. Each start now asks the server again before its cordon once its
 * view is older than the freshness bound; a start whose view no longer holds is not cordoned, and
 * the next round takes it back.
 */
class LateStartIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private Fleet fleet;

  @BeforeEach
  void fleetOfFour() {
    fleet = new Fleet().withNodes("worker", 4, WORKERS);
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void aStartWhoseCordonComesAfterTheLimitWasLoweredIsNotCordoned() {
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().setMaxUnavailable(new IntOrString(2));
    fleet.applyPausedUntilStaged(policy, 4);

    // the round starts two nodes; the answer to one start's OSNode write comes 3 s late, and
    // meanwhile a person lowers maxUnavailable to 1: that start's cordon would come after it
    AtomicBoolean lowered = new AtomicBoolean();
    fleet.api.holdBack(
        r ->
            "PATCH".equals(r.method())
                && "osnodes".equals(r.resource())
                && r.userAgent() != null
                && r.userAgent().contains("refit-operator")
                && (r.body().contains("\"state\":\"Cordoned\"")
                    || r.body().contains("\"state\":\"Draining\"")),
        Duration.ofSeconds(3),
        () -> {
          fleet.edit(
              "workers",
              p -> {
                p.getSpec().setMaxUnavailable(new IntOrString(1));
                return p;
              });
          lowered.set(true);
        });
    fleet.resume("workers");

    fleet.awaitUntil(Duration.ofSeconds(30), lowered::get);
    fleet.assertForAtLeast(
        Duration.ofSeconds(6),
        "no cordon took the policy over its lowered limit",
        () -> fleet.invariants.violations().isEmpty());
    fleet.awaitRolledOut("workers", Duration.ofSeconds(60));
    assertThat(fleet.invariants.violations()).isEmpty();
    assertThat(fleet.invariants.maxUnavailable()).isLessThanOrEqualTo(2);
  }
}
