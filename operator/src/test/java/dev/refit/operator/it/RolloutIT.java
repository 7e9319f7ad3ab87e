package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.PolicyReasons;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rollouts over fleets of 20 nodes against the embedded API, with fake kubelets and agents. */
class RolloutIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private Fleet fleet;

  @BeforeEach
  void fleetOfTwenty() {
    fleet = new Fleet().withNodes("worker", 20, WORKERS);
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void updatesTwentyNodesOneAtATimeByDefault() {
    fleet.startOperator();
    fleet.apply(Fixtures.policy("workers", WORKERS, "41.20250101.3.0"));

    // once a few nodes are updated, the status says when the rest should be
    fleet.awaitUntil(Duration.ofSeconds(60), () -> updated("workers") >= 3);
    fleet.awaitUntil(
        Duration.ofSeconds(10),
        () -> fleet.policy("workers").getStatus().getEstimatedCompletion() != null);
    Instant expected = Instant.parse(fleet.policy("workers").getStatus().getEstimatedCompletion());
    assertThat(expected).isAfter(Instant.now().minusSeconds(5));

    fleet.awaitRolledOut("workers", Duration.ofSeconds(90));

    OSUpdatePolicy policy = fleet.policy("workers");
    assertThat(policy.getStatus().getProgress()).isEqualTo("20/20");
    assertThat(policy.getStatus().getEstimatedCompletion()).as("done: no estimate").isNull();
    assertThat(fleet.osNodes())
        .hasSize(20)
        .allSatisfy(n -> assertThat(n.getSpec().getState()).isEqualTo(NodeState.UpToDate));
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(1);
    assertThat(fleet.invariants.refitCordons())
        .hasSize(20)
        .allSatisfy((n, c) -> assertThat(c).isOne());
    assertThat(fleet.invariants.cordonedByRefitNow()).isEmpty();
    assertThat(fleet.invariants.violations()).isEmpty();
    assertThat(fleet.api.pdbViolations()).isEmpty();

    // what Prometheus and kubectl describe show
    var metrics = fleet.metricsOfFirstOperator();
    assertThat(metrics.find("refit.node.updates").tag("outcome", "updated").counter().count())
        .isEqualTo(20.0);
    for (String phase : new String[] {"drain", "reboot", "verify"}) {
      assertThat(metrics.find("refit.phase.duration").tag("phase", phase).timer().count())
          .as(phase)
          .isEqualTo(20);
    }
    assertThat(metrics.find("refit.nodes").tag("state", "UpToDate").gauge().value())
        .isEqualTo(20.0);
    assertThat(metrics.getMeters())
        .isNotEmpty()
        .allSatisfy(m -> assertThat(m.getId().getTags()).noneMatch(t -> t.getKey().equals("node")));
    fleet.awaitUntil(
        Duration.ofSeconds(5),
        () -> {
          var events = fleet.events("worker-1", e -> true);
          var reasons = events.stream().map(e -> e.getReason()).toList();
          // the end of the drain is its own Event, or part of Rebooting's when in the same round
          boolean drained =
              reasons.contains("Drained")
                  || events.stream()
                      .anyMatch(
                          e ->
                              e.getReason().equals("Rebooting")
                                  && e.getMessage().startsWith("drained; "));
          return drained && reasons.containsAll(List.of("Cordoned", "Rebooting", "Updated"));
        });
    fleet.awaitUntil(
        Duration.ofSeconds(5),
        () -> !fleet.events("workers", e -> "RolloutComplete".equals(e.getReason())).isEmpty());
  }

  private int updated(String policy) {
    var status = fleet.policy(policy).getStatus();
    return status == null || status.getNodes() == null ? 0 : status.getNodes().getUpdated();
  }

  @Test
  void percentMaxUnavailableCountsNodesAlreadyUnavailable() {
    fleet.nodes.setReady("worker-7", false); // down for its own reasons
    fleet.cordonByPerson("worker-3");
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().setMaxUnavailable(new IntOrString("20%")); // 4 of 20
    fleet.apply(policy);

    fleet.awaitUntil(Duration.ofSeconds(90), () -> updated("workers") == 18);
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(4);
    assertThat(fleet.osNode("worker-3").getSpec().getState()).isEqualTo(NodeState.Staged);

    fleet.nodes.setReady("worker-7", true);
    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () -> fleet.osNode("worker-7").getSpec().getState() == NodeState.UpToDate);
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(4);
    assertThat(fleet.invariants.violations()).isEmpty();
    assertThat(fleet.client().nodes().withName("worker-3").get().getSpec().getUnschedulable())
        .isTrue();
  }

  /**
   * The operator's Node watch is cut off, so its cache does not know that a person cordoned a node;
   * the round that would start disruptions reads the Nodes from the API server first and counts
   * that cordon against maxUnavailable.
   */
  @Test
  void aDisruptionStartsFromTheServersNodesNotAStaleCache() throws InterruptedException {
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().setMaxUnavailable(new IntOrString(2));
    policy.getSpec().getRollout().setPaused(true);
    fleet.apply(policy);
    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () -> PolicyReasons.PAUSED_BY_SPEC.equals(fleet.reason("workers", "Paused")));

    fleet.api.severWatches("refit-operator", "nodes");
    // last in rollout order, so a stale plan would take two others out as well
    fleet.cordonByPerson("worker-20");
    // longer than the invariant's grace for a cache a moment behind
    Thread.sleep(1500);
    fleet.resume("workers");

    fleet.awaitUntil(
        Duration.ofSeconds(20), () -> !fleet.invariants.cordonedByRefitNow().isEmpty());
    fleet.assertForAtLeast(
        Duration.ofSeconds(3),
        "no more than maxUnavailable nodes out of service",
        () -> fleet.invariants.maxUnavailable() <= 2 && fleet.invariants.violations().isEmpty());
    // one slot of two: the person's cordon holds the other (nodes go in the order they finish
    // staging, so which node takes it depends on the agents)
    assertThat(fleet.invariants.cordonedByRefitNow()).hasSize(1).doesNotContain("worker-20");

    fleet.api.restoreWatches();
    fleet.awaitUntil(Duration.ofSeconds(90), () -> updated("workers") == 19);
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(2);
    assertThat(fleet.invariants.violations()).isEmpty();
  }

  /**
   * The operator's policy watch is cut off, so its cache does not know that a person lowered
   * maxUnavailable from 4 to 1; when the hosts become eligible, the round that would start four
   * disruptions reads the policy from the API server first and starts one.
   */
  @Test
  void aDisruptionStartsFromTheServersSpecNotAStaleCache() throws InterruptedException {
    for (int i = 1; i <= 20; i++) {
      fleet.agents.refuse("worker-" + i, "ConflictingUpdater", "zincati.service is active");
    }
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().setMaxUnavailable(new IntOrString(4));
    fleet.apply(policy);
    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () -> PolicyReasons.HOSTS_REFUSED.equals(fleet.reason("workers", "Progressing")));

    fleet.api.severWatches("refit-operator", "osupdatepolicies");
    fleet.edit(
        "workers",
        p -> {
          p.getSpec().setMaxUnavailable(new IntOrString(1));
          return p;
        });
    // longer than the invariant's grace for a cache a moment behind
    Thread.sleep(1500);
    for (int i = 1; i <= 20; i++) {
      fleet.agents.fix("worker-" + i);
    }

    fleet.awaitUntil(
        Duration.ofSeconds(20), () -> !fleet.invariants.cordonedByRefitNow().isEmpty());
    fleet.assertForAtLeast(
        Duration.ofSeconds(3),
        "no more than the lowered maxUnavailable out of service",
        () -> fleet.invariants.maxUnavailable() <= 1 && fleet.invariants.violations().isEmpty());
    assertThat(fleet.policy("workers").getStatus().getObservedGeneration())
        .isEqualTo(fleet.policy("workers").getMetadata().getGeneration());

    fleet.api.restoreWatches();
    fleet.awaitUntil(Duration.ofSeconds(120), () -> updated("workers") == 20);
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(1);
    assertThat(fleet.invariants.violations()).isEmpty();
  }

  /**
   * The server holds back the answer to the write that lifts a finished node's cordon for 2 s, and
   * a person cordons another node meanwhile: the round that planned to give the freed slot to the
   * next node asks the server again before cordoning it, and waits instead.
   */
  @Test
  void aRoundWhoseFirstWritesAreSlowAsksAgainBeforeItTakesANodeOutOfService() {
    fleet.api.holdBack(
        r ->
            r.userAgent() != null
                && r.userAgent().contains("refit-operator")
                && "PATCH".equals(r.method())
                && "nodes".equals(r.resource())
                && r.body().contains("\"unschedulable\":null"),
        Duration.ofSeconds(2),
        () -> fleet.cordonByPerson("worker-20"));
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().setMaxUnavailable(new IntOrString(2));
    fleet.apply(policy);

    fleet.awaitUntil(Duration.ofSeconds(90), () -> updated("workers") == 19);
    assertThat(fleet.invariants.violations()).isEmpty();
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(2);
    assertThat(fleet.client().nodes().withName("worker-20").get().getSpec().getUnschedulable())
        .isTrue();
  }

  /**
   * Chaos seed 17: a person lowers maxUnavailable while the round that will start two nodes waits
   * for the server's list of Nodes (held back 2 s). The round asked for the policy before that
   * list; by the time it would cordon, its spec is old, so it asks again and plans anew instead of
   * starting two nodes under a limit of one.
   */
  @Test
  void aSpecLoweredWhileTheRoundWaitsOnTheServerStartsNothingUnderTheOldLimit() {
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().setMaxUnavailable(new IntOrString(2));
    fleet.applyPausedUntilStaged(policy, 20);
    fleet.api.holdBack(
        r ->
            r.userAgent() != null
                && r.userAgent().contains("refit-operator")
                && "GET".equals(r.method())
                && "nodes".equals(r.resource())
                && r.name() == null,
        Duration.ofSeconds(2),
        () ->
            fleet.edit(
                "workers",
                p -> {
                  p.getSpec().setMaxUnavailable(new IntOrString(1));
                  return p;
                }));

    fleet.resume("workers");

    fleet.awaitUntil(Duration.ofSeconds(90), () -> updated("workers") == 20);
    assertThat(fleet.invariants.violations()).isEmpty();
    assertThat(fleet.invariants.maxUnavailable()).isEqualTo(1);
  }
}
