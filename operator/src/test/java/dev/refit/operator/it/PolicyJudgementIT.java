package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.refit.api.Condition;
import dev.refit.api.MaintenanceWindow;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.RefitApi;
import dev.refit.api.Schedule;
import dev.refit.api.Weekday;
import dev.refit.operator.testing.EmbeddedApiResource;
import dev.refit.operator.testing.EmbeddedApiResource.InjectEmbeddedApi;
import dev.refit.operator.testing.Fixtures;
import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator, running against the embedded API, judges what admission could not: unknown time
 * zones, selectors that match nothing, nodes two policies claim. It reports them as conditions with
 * observedGeneration, and writes status only when it changed.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedApiResource.class, restrictToAnnotatedClass = true)
class PolicyJudgementIT {

  @InjectEmbeddedApi EmbeddedKubernetes api;
  @Inject MeterRegistry registry;

  @Test
  void anUnknownTimeZoneIsReportedWithTheFieldToFixAndClearsWhenFixed() {
    KubernetesClient client = api.client();
    client.resource(Fixtures.node("tz-1", Map.of("pool", "tz"))).create();
    OSUpdatePolicy policy = Fixtures.policy("tz", Map.of("pool", "tz"), "41.20250101.3.0");
    policy.getSpec().setSchedule(scheduleIn("Mars/Olympus_Mons"));
    client.resource(policy).create();

    Condition degraded = awaitCondition("tz", RefitApi.DEGRADED, "InvalidTimeZone");
    assertThat(degraded.isTrue()).isTrue();
    assertThat(degraded.getMessage())
        .contains("spec.schedule.windows[0].timeZone \"Mars/Olympus_Mons\"")
        .contains("Europe/Berlin");
    OSUpdatePolicy reported = get("tz");
    assertThat(reported.getStatus().getObservedGeneration())
        .isEqualTo(reported.getMetadata().getGeneration());
    assertThat(degraded.getObservedGeneration()).isEqualTo(reported.getMetadata().getGeneration());

    client
        .resources(OSUpdatePolicy.class)
        .withName("tz")
        .edit(
            p -> {
              p.getSpec().setSchedule(scheduleIn("Europe/Berlin"));
              return p;
            });

    Condition fixed = awaitCondition("tz", RefitApi.DEGRADED, "NoProblems");
    assertThat(fixed.isTrue()).isFalse();
    assertThat(get("tz").getStatus().getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void aSelectorThatMatchesNoNodeIsReportedUntilANodeMatches() {
    KubernetesClient client = api.client();
    client.resource(Fixtures.policy("nowhere", Map.of("pool", "nowhere"), "1.19.2")).create();

    Condition ready = awaitCondition("nowhere", RefitApi.READY, "NoMatchingNodes");
    assertThat(ready.getStatus()).isEqualTo(Condition.Status.False);
    assertThat(ready.getMessage()).contains("pool=nowhere matches no node");

    client.resource(Fixtures.node("nowhere-1", Map.of("pool", "nowhere"))).create();

    awaitCondition("nowhere", RefitApi.READY, "UpdatesPending");
    assertThat(get("nowhere").getStatus().getNodes().getTotal()).isEqualTo(1);
  }

  @Test
  void aNodeTwoPoliciesClaimIsLeftOutOfBothAndReportedOnBoth() {
    KubernetesClient client = api.client();
    client.resource(Fixtures.node("shared-1", Map.of("pool", "b", "zone", "z1"))).create();
    client.resource(Fixtures.node("only-b", Map.of("pool", "b"))).create();
    client.resource(Fixtures.policy("by-pool", Map.of("pool", "b"), "1.19.2")).create();
    client.resource(Fixtures.policy("by-zone", Map.of("zone", "z1"), "1.19.2")).create();

    Condition byPool = awaitCondition("by-pool", RefitApi.DEGRADED, "NodeConflict");
    Condition byZone = awaitCondition("by-zone", RefitApi.DEGRADED, "NodeConflict");
    assertThat(byPool.getMessage()).contains("also selected by policy by-zone (shared-1)");
    assertThat(byZone.getMessage()).contains("also selected by policy by-pool (shared-1)");
    assertThat(get("by-pool").getStatus().getProblems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getNode()).isEqualTo("shared-1");
              assertThat(p.getReason()).isEqualTo("NodeConflict");
            });
    assertThat(get("by-pool").getStatus().getNodes().getTotal()).isEqualTo(1);
    assertThat(get("by-zone").getStatus().getNodes().getTotal()).isZero();

    // Narrowing one selector resolves the conflict on both sides.
    client
        .resources(OSUpdatePolicy.class)
        .withName("by-zone")
        .edit(
            p -> {
              p.getSpec().getNodeSelector().getMatchLabels().put("pool", "c");
              return p;
            });
    awaitCondition("by-pool", RefitApi.DEGRADED, "NoProblems");
    assertThat(get("by-pool").getStatus().getNodes().getTotal()).isEqualTo(2);
  }

  @Test
  void statusIsWrittenOnlyWhenItChanges() {
    KubernetesClient client = api.client();
    client.resource(Fixtures.node("quiet-1", Map.of("pool", "quiet"))).create();
    client.resource(Fixtures.policy("quiet", Map.of("pool", "quiet"), "1.19.2")).create();
    awaitCondition("quiet", RefitApi.READY, "UpdatesPending");
    double writes = counter("refit.policy.status.writes", "quiet");
    double reconciles = counter("refit.policy.reconciliations", "quiet");

    // A label on a node the policy does not select wakes every policy, but changes nothing.
    client.resource(Fixtures.node("bystander", Map.of("pool", "elsewhere"))).create();
    client
        .nodes()
        .withName("bystander")
        .edit(
            n -> {
              n.getMetadata().getLabels().put("color", "blue");
              return n;
            });

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> counter("refit.policy.reconciliations", "quiet") >= reconciles + 2);
    assertThat(counter("refit.policy.status.writes", "quiet")).isEqualTo(writes);
  }

  @Test
  void prometheusScrapesTheRolloutMetricsWithBoundedTags() throws Exception {
    KubernetesClient client = api.client();
    client.resource(Fixtures.node("scraped-1", Map.of("pool", "scraped"))).create();
    client.resource(Fixtures.policy("scraped", Map.of("pool", "scraped"), "1.19.2")).create();
    awaitCondition("scraped", RefitApi.READY, "UpdatesPending");

    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + "/q/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("refit_nodes{policy=\"scraped\",state=\"Staging\"} 1.0")
        .contains("refit_policy_reconciliations_total{policy=\"scraped\"}")
        .contains("refit_rollout_halted{policy=\"scraped\"} 0.0")
        .doesNotContain("node=\"scraped-1\"");
  }

  @io.quarkus.test.common.http.TestHTTPResource("/")
  java.net.URL root;

  int port;

  @org.junit.jupiter.api.BeforeEach
  void port() {
    port = root.getPort();
  }

  private double counter(String name, String policy) {
    var counter = registry.find(name).tag("policy", policy).counter();
    return counter == null ? 0 : counter.count();
  }

  private static Schedule scheduleIn(String zone) {
    MaintenanceWindow window = new MaintenanceWindow();
    window.setDays(List.of(Weekday.Saturday));
    window.setStart("02:00");
    window.setDuration("4h");
    window.setTimeZone(zone);
    Schedule schedule = new Schedule();
    schedule.setWindows(List.of(window));
    return schedule;
  }

  private OSUpdatePolicy get(String name) {
    return api.client().resources(OSUpdatePolicy.class).withName(name).get();
  }

  private Condition awaitCondition(String policy, String type, String reason) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              OSUpdatePolicy current = get(policy);
              return current == null || current.getStatus() == null
                  ? null
                  : current.getStatus().condition(type);
            },
            c -> c != null && reason.equals(c.getReason()));
  }
}
