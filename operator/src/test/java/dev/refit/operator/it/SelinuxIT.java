package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeProblem;
import dev.refit.api.NodeReasons;
import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.PolicyReasons;
import dev.refit.api.PolicySELinuxStatus;
import dev.refit.api.RefitApi;
import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxPolicy;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's side of SELinux as declared state: a host whose SELinux state drifted is brought
 * back through the rollout without a cordon or a reboot and without counting as a failure, and
 * Bottlerocket nodes that cannot have the declared policy are named while their OS update goes on.
 */
class SelinuxIT {

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
  void aHostWhoseSelinuxDriftedIsBroughtBackLiveAndIsNoFailure() {
    fleet.startOperator();
    fleet.apply(withBoolean(Fixtures.policy("workers", WORKERS, "41.20250101.3.0")));
    fleet.awaitRolledOut("workers", Duration.ofSeconds(60));
    int cordonsBefore = fleet.invariants.refitCordons().getOrDefault("worker-2", 0);
    int bootsBefore = fleet.invariants.reboots().getOrDefault("worker-2", 0);

    fleet.agents.driftSelinux("worker-2", "httpd_can_network_connect is off, declared on");

    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () ->
            fleet.events("workers", e -> NodeReasons.SELINUX_DRIFT.equals(e.getReason())).stream()
                .anyMatch(e -> e.getMessage().contains("httpd_can_network_connect is off")));
    fleet.awaitRolledOut("workers", Duration.ofSeconds(30));
    assertThat(fleet.osNode("worker-2").getSpec().getState()).isEqualTo(NodeState.UpToDate);
    assertThat(fleet.invariants.refitCordons().getOrDefault("worker-2", 0))
        .as("no cordon for a live re-apply")
        .isEqualTo(cordonsBefore);
    assertThat(fleet.invariants.reboots().getOrDefault("worker-2", 0))
        .as("no reboot for a live re-apply")
        .isEqualTo(bootsBefore);
    OSUpdatePolicy policy = fleet.policy("workers");
    assertThat(policy.getStatus().getNodes().getFailed()).isZero();
    assertThat(policy.getStatus().getSelinux()).isNull();
    assertThat(fleet.reason("workers", RefitApi.DEGRADED)).isEqualTo(PolicyReasons.NO_PROBLEMS);
    assertThat(fleet.invariants.violations()).isEmpty();
  }

  @Test
  void aDriftedHostIsListedOnThePolicyUntilItIsBroughtBack() {
    fleet.startOperator();
    OSUpdatePolicy policy = withBoolean(Fixtures.policy("workers", WORKERS, "41.20250101.3.0"));
    fleet.apply(policy);
    fleet.awaitRolledOut("workers", Duration.ofSeconds(60));
    // no slot is free while the rollout is paused: the drifted node waits, listed
    fleet.edit(
        "workers",
        p -> {
          p.getSpec().getRollout().setPaused(true);
          return p;
        });
    fleet.awaitUntil(
        Duration.ofSeconds(10),
        () -> PolicyReasons.PAUSED_BY_SPEC.equals(fleet.reason("workers", RefitApi.PAUSED)));

    fleet.agents.driftSelinux("worker-3", "module custom-web is not installed, declared at 400");

    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () -> {
          PolicySELinuxStatus selinux = fleet.policy("workers").getStatus().getSelinux();
          return selinux != null && selinux.getDrifted() == 1;
        });
    PolicySELinuxStatus selinux = fleet.policy("workers").getStatus().getSelinux();
    assertThat(selinux.getDriftedNodes())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getNode()).isEqualTo("worker-3");
              assertThat(p.getMessage())
                  .isEqualTo("module custom-web is not installed, declared at 400");
            });
    assertThat(selinux.getLive())
        .containsExactly("module custom-web is not installed, declared at 400 (1 node)");
    assertThat(fleet.policy("workers").getStatus().getNodes().getFailed()).isZero();

    fleet.resume("workers");
    fleet.awaitRolledOut("workers", Duration.ofSeconds(30));
    assertThat(fleet.policy("workers").getStatus().getSelinux()).isNull();
  }

  @Test
  void bottlerocketNodesAreNamedAndStillTakeTheOsUpdate() {
    fleet.agents.bottlerocket("worker-1").bottlerocket("worker-4");
    fleet.startOperator();
    fleet.apply(withBoolean(Fixtures.policy("workers", WORKERS, "41.20250101.3.0")));

    fleet.awaitRolledOut("workers", Duration.ofSeconds(60));

    assertThat(fleet.condition("workers", RefitApi.DEGRADED))
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo(PolicyReasons.SELINUX_NOT_CONFIGURABLE);
              assertThat(c.getMessage())
                  .startsWith(
                      "2 nodes (worker-1, worker-4) cannot have booleans"
                          + " httpd_can_network_connect: their OS fixes its SELinux policy");
            });
    assertThat(fleet.policy("workers").getStatus().getSelinux().getNotConfigurableNodes())
        .extracting(NodeProblem::getNode)
        .containsExactly("worker-1", "worker-4");
    assertThat(fleet.osNode("worker-1").getSpec().getState()).isEqualTo(NodeState.UpToDate);
    assertThat(fleet.agents.running("worker-1"))
        .isEqualTo(fleet.policy("workers").getStatus().getTargetRevision());
    assertThat(
            fleet.events(
                "workers", e -> PolicyReasons.SELINUX_NOT_CONFIGURABLE.equals(e.getReason())))
        .isNotEmpty();
  }

  private static OSUpdatePolicy withBoolean(OSUpdatePolicy policy) {
    SELinuxPolicy selinux = new SELinuxPolicy();
    selinux.setBooleans(List.of(new SELinuxBoolean("httpd_can_network_connect", true)));
    policy.getSpec().setSelinux(selinux);
    return policy;
  }
}
