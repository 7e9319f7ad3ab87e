package dev.refit.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.chart.LuaHealthCheck.Health;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Argo CD health checks in docs/gitops, run in a Lua engine against objects shaped as Refit's
 * operator and node-updater write them (src/test/resources/argocd), and the argocd-cm fragment that
 * carries them.
 */
class ArgoCdHealthTest {

  private static final Path GITOPS = Chart.REPO.resolve("docs").resolve("gitops");
  private static final Path SCRIPTS = GITOPS.resolve("argocd-health");
  private static final Path POLICY_SCRIPT = SCRIPTS.resolve("refit.dev_OSUpdatePolicy.lua");
  private static final Path OSNODE_SCRIPT = SCRIPTS.resolve("refit.dev_OSNode.lua");

  private static final LuaHealthCheck POLICY = LuaHealthCheck.of(POLICY_SCRIPT);
  private static final LuaHealthCheck OSNODE = LuaHealthCheck.of(OSNODE_SCRIPT);

  // OSUpdatePolicy

  @Test
  void aPolicyWhoseNodesAllRunTheTargetIsHealthy() {
    assertThat(POLICY.assess(sample("policy-ready.yaml")))
        .isEqualTo(new Health("Healthy", "all 12 nodes run 41.20250315.3.0"));
  }

  @Test
  void aPolicyRollingOutIsProgressingAndNamesTheNodesInFlight() {
    assertThat(POLICY.assess(sample("policy-rolling-out.yaml")))
        .isEqualTo(
            new Health("Progressing", "RollingOut: updating worker-6, worker-7; 5 of 12 updated"));
  }

  @Test
  void aPolicyWhoseDrainIsBlockedIsProgressingAndNamesTheBudget() {
    Health health = POLICY.assess(sample("policy-drain-blocked.yaml"));

    assertThat(health.status()).isEqualTo("Progressing");
    assertThat(health.message())
        .startsWith("DrainBlocked: drain of worker-3 blocked by PDB shop/web")
        .contains("for 4m");
  }

  @Test
  void aPolicyWaitingForItsMaintenanceWindowIsProgressingAndSaysWhenItOpens() {
    Health health = POLICY.assess(sample("policy-waiting-for-window.yaml"));

    assertThat(health.status()).isEqualTo("Progressing");
    assertThat(health.message())
        .startsWith("Held: outside the maintenance windows")
        .contains("the next window opens 2026-03-21T00:00:00Z");
  }

  @Test
  void aPolicyTheOperatorHasNotReportedOnYetIsProgressing() {
    Health health = POLICY.assess(sample("policy-no-status.yaml"));

    assertThat(health.status()).isEqualTo("Progressing");
    assertThat(health.message()).contains("no status yet");
  }

  @Test
  void aPolicyWhoseStatusIsFromAnOlderGenerationIsProgressingThoughItsOldStatusSaysReady() {
    Health health = POLICY.assess(sample("policy-generation-behind.yaml"));

    assertThat(health.status()).isEqualTo("Progressing");
    assertThat(health.message())
        .contains("act on generation 5")
        .contains("its status is from generation 4");
  }

  @Test
  void aPolicyWhoseReadyConditionIsFromAnOlderGenerationIsProgressing() {
    Map<String, Object> policy = sample("policy-ready.yaml");
    Maps.list(policy, "status", "conditions").stream()
        .filter(c -> "Ready".equals(c.get("type")))
        .forEach(c -> c.put("observedGeneration", 2));

    Health health = POLICY.assess(policy);

    assertThat(health.status()).isEqualTo("Progressing");
    assertThat(health.message()).contains("its status is from generation 2");
  }

  @Test
  void aPolicyHaltedOnItsFailureBudgetIsDegradedAndNamesTheFailedNodes() {
    assertThat(POLICY.assess(sample("policy-halted.yaml")))
        .isEqualTo(
            new Health(
                "Degraded",
                "FailureBudgetExhausted: halted: 2 of 2 allowed failures (worker-2: RebootTimeout,"
                    + " worker-4: ReadyTimeout)"));
  }

  @Test
  void aPolicyWithATimeZoneTheOperatorDoesNotKnowIsDegradedAndSaysWhatToFix() {
    Health health = POLICY.assess(sample("policy-invalid-spec.yaml"));

    assertThat(health.status()).isEqualTo("Degraded");
    assertThat(health.message())
        .startsWith("InvalidTimeZone: spec.schedule.windows[0].timeZone \"Europe/Berln\"")
        .contains("use an IANA name like Europe/Berlin");
  }

  @Test
  void aPausedPolicyIsSuspendedAndSaysHowFarItGot() {
    assertThat(POLICY.assess(sample("policy-paused.yaml")))
        .isEqualTo(
            new Health(
                "Suspended",
                "PausedBySpec: spec.rollout.paused is true: no node starts a disruption until it is"
                    + " set to false; 4 of 12 nodes run 41.20250315.3.0"));
  }

  @Test
  void aPausedPolicyWithANodeStillInFlightIsSuspendedAndNamesThatNode() {
    Map<String, Object> policy = sample("policy-paused.yaml");
    Map<String, Object> progressing =
        Maps.list(policy, "status", "conditions").stream()
            .filter(c -> "Progressing".equals(c.get("type")))
            .findFirst()
            .orElseThrow();
    progressing.put("status", "True");
    progressing.put("reason", "RollingOut");
    progressing.put("message", "updating worker-5; 4 of 12 updated");

    Health health = POLICY.assess(policy);

    assertThat(health.status()).isEqualTo("Suspended");
    assertThat(health.message()).endsWith("; RollingOut: updating worker-5; 4 of 12 updated");
  }

  @Test
  void aPauseTheOperatorHasNotSeenYetIsProgressing() {
    Map<String, Object> policy = sample("policy-paused.yaml");
    Maps.map(policy, "metadata").put("generation", 6);

    Health health = POLICY.assess(policy);

    assertThat(health.status()).isEqualTo("Progressing");
    assertThat(health.message()).contains("act on generation 6");
  }

  @Test
  void aHaltedPolicyIsDegradedEvenWhilePaused() {
    Health health = POLICY.assess(sample("policy-paused-and-halted.yaml"));

    assertThat(health.status()).isEqualTo("Degraded");
    assertThat(health.message()).startsWith("DrainTimedOut: halted: the drain of worker-2");
  }

  @Test
  void aPolicyThatSelectsNoNodeIsHealthyAndShowsTheSelector() {
    Health health = POLICY.assess(sample("policy-no-matching-nodes.yaml"));

    assertThat(health.status()).isEqualTo("Healthy");
    assertThat(health.message())
        .startsWith("NoMatchingNodes: nodeSelector refit.example.com/pool=gpu matches no node");
  }

  @Test
  void aRolloutThatEndedWithASkippedNodeIsDegradedAndNamesTheNode() {
    assertThat(POLICY.assess(sample("policy-finished-with-skipped-node.yaml")))
        .isEqualTo(
            new Health(
                "Degraded",
                "11 of 12 nodes run 41.20250315.3.0; the rollout has gone as far as it can:"
                    + " worker-7 (DrainTimedOut); delete a node's OSNode to start that node over"));
  }

  // OSNode

  @Test
  void aNodeRunningTheTargetIsHealthy() {
    assertThat(OSNODE.assess(sample("osnode-up-to-date.yaml")))
        .isEqualTo(new Health("Healthy", "UpToDate: runs 41.20250315.3.0"));
  }

  @Test
  void aDrainingNodeIsProgressing() {
    assertThat(OSNODE.assess(sample("osnode-draining.yaml")))
        .isEqualTo(new Health("Progressing", "Draining: evicting pods"));
  }

  @Test
  void aNodeWhoseStagingFailedOnceIsProgressingAndQuotesTheAgentsError() {
    Health health = OSNODE.assess(sample("osnode-stage-failed-once.yaml"));

    assertThat(health.status()).isEqualTo("Progressing");
    assertThat(health.message())
        .startsWith("Staging: downloading and staging; the node-updater reports CommandFailed: ")
        .contains("Server returned HTTP 503");
  }

  @Test
  void aNodeWithoutAReportFromItsAgentIsProgressingAndSaysSo() {
    assertThat(OSNODE.assess(sample("osnode-no-report.yaml")))
        .isEqualTo(
            new Health(
                "Progressing",
                "Pending (TargetChanged): target changed to revision 3f2a9c1d0b7e; no report from the"
                    + " node-updater on this node yet"));
  }

  @Test
  void aFailedNodeIsDegradedAndSaysHowToRetryIt() {
    assertThat(OSNODE.assess(sample("osnode-failed.yaml")))
        .isEqualTo(
            new Health(
                "Degraded",
                "Failed (RebootTimeout): no new boot within 900s; the node stays cordoned; delete this"
                    + " OSNode to start the node over"));
  }

  @Test
  void aSkippedNodeIsDegradedBecauseItKeepsItsOldOs() {
    Health health = OSNODE.assess(sample("osnode-skipped.yaml"));

    assertThat(health.status()).isEqualTo("Degraded");
    assertThat(health.message())
        .startsWith("Skipped (DrainTimedOut): drain did not finish within 600s; skipped")
        .contains("keeps its old OS for this target");
  }

  // the argocd-cm fragment

  @Test
  void theArgoCdConfigMapFragmentCarriesBothScriptsByteForByte() throws IOException {
    Map<String, Object> configMap =
        Chart.documents(read(GITOPS.resolve("argocd-cm-health.yaml"))).get(0);

    assertThat(configMap).containsEntry("kind", "ConfigMap");
    assertThat(Maps.path(configMap, "metadata", "name")).isEqualTo("argocd-cm");
    Map<String, Object> data = Maps.map(configMap, "data");
    assertThat(data)
        .containsOnlyKeys(
            "resource.customizations.health.refit.dev_OSUpdatePolicy",
            "resource.customizations.health.refit.dev_OSNode");
    assertThat(bytes(data.get("resource.customizations.health.refit.dev_OSUpdatePolicy")))
        .isEqualTo(Files.readAllBytes(POLICY_SCRIPT));
    assertThat(bytes(data.get("resource.customizations.health.refit.dev_OSNode")))
        .isEqualTo(Files.readAllBytes(OSNODE_SCRIPT));
  }

  // the Applications

  @Test
  void theChartApplicationInstallsThisRepositorysChartIntoRefitSystem() {
    Map<String, Object> app =
        Chart.documents(read(GITOPS.resolve("application-refit.yaml"))).get(0);

    String path = (String) Maps.path(app, "spec", "source", "path");
    assertThat(Chart.REPO.resolve(path).resolve("Chart.yaml")).isRegularFile();
    assertThat(Chart.REPO.resolve(path).normalize()).isEqualTo(Chart.DIR.normalize());
    assertThat(Maps.path(app, "spec", "destination", "namespace")).isEqualTo(Chart.NAMESPACE);
    assertThat(Maps.path(app, "spec", "source", "helm", "releaseName")).isEqualTo(Chart.RELEASE);
    assertThat(Maps.path(app, "spec", "syncPolicy", "syncOptions"))
        .isEqualTo(List.of("CreateNamespace=true"));
  }

  private static byte[] bytes(Object text) {
    return ((String) text).getBytes(StandardCharsets.UTF_8);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> sample(String name) {
    try (InputStream in = ArgoCdHealthTest.class.getResourceAsStream("/argocd/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample " + name);
      }
      return Chart.YAML.readValue(in, Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
