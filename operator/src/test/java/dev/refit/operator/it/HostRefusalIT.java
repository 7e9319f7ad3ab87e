package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node whose host is not eligible (its node-updater found another agent that would reboot it on
 * its own) is neither staged nor disrupted, the rest of the fleet updates, and the policy says
 * which node waits for a person and why; once the host is fixed, the node is updated too.
 */
class HostRefusalIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private static final String WHY =
      "locksmithd would reboot this node on its own as soon as an update is downloaded;"
          + " set REBOOT_STRATEGY=off in /etc/flatcar/update.conf and run"
          + " systemctl disable --now locksmithd";

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
  void aRefusingHostWaitsUncordonedNamedInTheStatusAndIsUpdatedOnceFixed() {
    fleet.agents.refuse("worker-2", "RebootManagerActive", WHY);
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    fleet.apply(policy);

    Condition degraded =
        fleet.awaitCondition("workers", "Degraded", "HostsRefused", Duration.ofSeconds(60));
    fleet.awaitCondition("workers", "Progressing", "HostsRefused", Duration.ofSeconds(60));
    assertThat(degraded.getMessage()).isEqualTo("worker-2 waits for a person: " + WHY);
    assertThat(fleet.policy("workers").getStatus().getNodes().getUpdated()).isEqualTo(3);
    assertThat(fleet.policy("workers").getStatus().getProblems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.getNode()).isEqualTo("worker-2");
              assertThat(problem.getReason()).isEqualTo("RebootManagerActive");
              assertThat(problem.getMessage()).isEqualTo(WHY);
            });
    assertThat(fleet.osNode("worker-2").getSpec().getReason()).isEqualTo(NodeReasons.HOST_REFUSED);
    assertThat(fleet.osNode("worker-2").getSpec().getState()).isNotEqualTo(NodeState.Failed);
    assertThat(fleet.invariants.refitCordons()).doesNotContainKey("worker-2");

    fleet.agents.fix("worker-2");

    fleet.awaitRolledOut("workers", Duration.ofSeconds(60));
    assertThat(fleet.policy("workers").getStatus().getProblems()).isEmpty();
    assertThat(fleet.reason("workers", "Degraded")).isEqualTo("NoProblems");
    assertThat(fleet.invariants.refitCordons()).containsEntry("worker-2", 1);
    assertThat(fleet.invariants.violations()).isEmpty();
  }
}
