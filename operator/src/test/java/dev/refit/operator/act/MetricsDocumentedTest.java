package dev.refit.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeState;
import dev.refit.operator.lifecycle.Outcome;
import dev.refit.testing.MetricsDocument;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.md lists exactly the refit_* metrics the operator exports, with their tags: the
 * meters are registered in the Prometheus registry the operator runs with (Micrometer's
 * simpleclient one, as quarkus-micrometer-registry-prometheus brings it), used, and scraped.
 */
@SuppressWarnings("deprecation")
class MetricsDocumentedTest {

  /** Tests run in operator/. */
  static final Path DOC = Path.of("..", "docs", "metrics.md");

  static final String SECTION = "## Operator metrics";

  @Test
  void theDocumentListsEveryRefitMetricTheOperatorExportsAndNoOther() throws Exception {
    assertThat(scrapedTags().keySet()).isEqualTo(documentedTags().keySet());
  }

  @Test
  void eachMetricCarriesTheTagsTheDocumentNames() throws Exception {
    assertThat(scrapedTags()).isEqualTo(documentedTags());
  }

  @Test
  void noMetricIsTaggedWithANodeName() throws Exception {
    assertThat(scrapedTags())
        .isNotEmpty()
        .allSatisfy(
            (metric, tags) -> assertThat(tags).as(metric).doesNotContain("node", "hostname"));
  }

  /** Every meter of the operator, used once, scraped: family name to label names. */
  static Map<String, Set<String>> scrapedTags() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RolloutMetrics rollout = new RolloutMetrics(registry);
    rollout.nodes("web", Map.of(NodeState.Draining, 1, NodeState.UpToDate, 2));
    rollout.outcome("web", Outcome.UPDATED);
    rollout.phase("web", RolloutMetrics.Phase.drain, Duration.ofMinutes(3));
    rollout.halted("web", false);
    rollout.drainsBlocked("web", List.of(Duration.ofMinutes(4)));
    new LeaderMetrics(registry).electionOff();
    policyMetrics(registry, "reconciled", "web");
    policyMetrics(registry, "statusWritten", "web");
    return MetricsDocument.scraped(registry.scrape(), "refit_");
  }

  /**
   * The policy package's counters, used as the reconciler uses them. The class is that package's
   * own (package-private), so it is reached by reflection rather than opened up for a test.
   */
  static void policyMetrics(MeterRegistry registry, String method, String policy) throws Exception {
    Class<?> type = Class.forName("dev.refit.operator.act.PolicyMetrics");
    Constructor<?> constructor = type.getDeclaredConstructor(MeterRegistry.class);
    constructor.setAccessible(true);
    Method call = type.getDeclaredMethod(method, String.class);
    call.setAccessible(true);
    call.invoke(constructor.newInstance(registry), policy);
  }

  /** The metrics table of this section of docs/metrics.md: metric name to its tags. */
  static Map<String, Set<String>> documentedTags() throws IOException {
    return MetricsDocument.documented(DOC, SECTION);
  }
}
