package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.OSUpdatePolicy;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chaos seed 20: a person cordons a node between the round's last read of it and Refit's cordon
 * landing. Refit must not claim that cordon (mark it as its own), or it lifts it later.
 */
class ForeignCordonRaceIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private Fleet fleet;

  @BeforeEach
  void fleetOfFive() {
    fleet = new Fleet().withNodes("worker", 5, WORKERS);
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void aCordonAPersonSetsWhileRefitsCordonIsInFlightStaysThePersons() {
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    // one slot for the node the person holds, one for the rest
    policy.getSpec().setMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString(2));
    fleet.applyPausedUntilStaged(policy, 5);
    // the OSNode write that starts a node (written just before its cordon) is held back 2 s, and
    // a person cordons that node meanwhile: Refit's cordon goes out on a view 2 s old
    AtomicReference<String> started = new AtomicReference<>();
    fleet.api.holdBack(
        r -> {
          boolean matches =
              r.userAgent() != null
                  && r.userAgent().contains("refit-operator")
                  && "PATCH".equals(r.method())
                  && "osnodes".equals(r.resource())
                  && r.body().contains("\"state\":\"Draining\"");
          if (matches) {
            started.compareAndSet(null, r.name());
          }
          return matches;
        },
        Duration.ofSeconds(2),
        () -> fleet.cordonByPerson(started.get()));

    fleet.resume("workers");

    fleet.awaitUntil(
        Duration.ofSeconds(90),
        () ->
            started.get() != null
                && fleet.osNodes().stream()
                        .filter(o -> !o.getMetadata().getName().equals(started.get()))
                        .filter(o -> o.getSpec().getState() == dev.refit.api.NodeState.UpToDate)
                        .count()
                    == 4);
    assertThat(fleet.invariants.violations()).isEmpty();
    var node = fleet.client().nodes().withName(started.get()).get();
    assertThat(node.getSpec().getUnschedulable()).isTrue();
    assertThat(node.getMetadata().getAnnotations()).doesNotContainKey("refit.dev/cordoned");
  }
}
