package dev.refit.updater.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.testing.MetricsDocument;
import dev.refit.updater.host.CommandResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.md lists exactly the refit_agent_* metrics the node-updater exports, with their
 * tags: the agent's meters, used as the agent uses them, scraped from {@link AgentMeters} as
 * /q/metrics serves them.
 */
class AgentMetricsDocumentedTest {

  /** Tests run in node-updater/. */
  static final Path DOC = Path.of("..", "docs", "metrics.md");

  static final String SECTION = "## Node-updater metrics";

  final AgentMeters meters = new AgentMeters();

  @AfterEach
  void close() {
    meters.close();
  }

  @Test
  void theDocumentListsEveryRefitMetricTheAgentExportsAndNoOther() throws Exception {
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

  /** The agent's own meters, used once, scraped: family name to label names. */
  Map<String, Set<String>> scrapedTags() throws Exception {
    new MicrometerAgentMetrics(meters.registry()).step("Stage", "succeeded");
    new TimedCommandRunner((argv, timeout) -> CommandResult.ok(argv, "{}"), meters.registry())
        .execute(List.of("rpm-ostree", "status", "--json"), Duration.ofSeconds(5));
    return MetricsDocument.scraped(meters.scrape("text/plain").body(), "refit_");
  }

  /** The metrics table of this section of docs/metrics.md: metric name to its tags. */
  static Map<String, Set<String>> documentedTags() throws IOException {
    return MetricsDocument.documented(DOC, SECTION);
  }
}
