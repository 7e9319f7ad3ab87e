package dev.refit.updater.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.OSFamily;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The health and metrics endpoints: the paths, formats and status codes of the Quarkus build. */
class AgentHttpServerTest {

  final AtomicReference<OSFamily> family = new AtomicReference<>();
  final AtomicBoolean watching = new AtomicBoolean();
  final AgentMeters meters = new AgentMeters();
  final HttpClient http = HttpClient.newHttpClient();
  AgentHttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = new AgentHttpServer(0, new AgentReadiness(family::get, watching::get), meters::scrape);
  }

  @AfterEach
  void stop() {
    server.close();
    meters.close();
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void notReadyUntilTheHostIsDetectedAndTheWatchConnected() throws Exception {
    HttpResponse<String> before = get("/q/health/ready");
    assertThat(before.statusCode()).isEqualTo(503);
    assertThat(before.body())
        .isEqualTo(
            "{\"status\":\"DOWN\",\"checks\":[{\"name\":\"refit-agent\",\"status\":\"DOWN\","
                + "\"data\":{\"hostDetected\":false,\"family\":\"null\",\"osNodeWatch\":false}}]}");

    family.set(OSFamily.FedoraCoreOS);
    assertThat(get("/q/health/ready").statusCode()).isEqualTo(503);

    watching.set(true);
    HttpResponse<String> after = get("/q/health/ready");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=UTF-8");
    assertThat(after.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(after.body())
        .isEqualTo(
            "{\"status\":\"UP\",\"checks\":[{\"name\":\"refit-agent\",\"status\":\"UP\","
                + "\"data\":{\"hostDetected\":true,\"family\":\"FedoraCoreOS\","
                + "\"osNodeWatch\":true}}]}");
  }

  @Test
  void liveWhileTheProcessAnswersEvenWhenNotReady() throws Exception {
    HttpResponse<String> live = get("/q/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("{\"status\":\"UP\",\"checks\":[]}");
    assertThat(get("/q/health/started").statusCode()).isEqualTo(200);
    assertThat(get("/q/health/well").statusCode()).isEqualTo(200);
  }

  @Test
  void theWholeHealthReportHasTheReadinessCheck() throws Exception {
    assertThat(get("/q/health").statusCode()).isEqualTo(503);
    family.set(OSFamily.Flatcar);
    watching.set(true);
    HttpResponse<String> health = get("/q/health/");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"family\":\"Flatcar\"");
  }

  @Test
  void metricsInPrometheusTextOrOpenMetricsWhenAskedFor() throws Exception {
    new MicrometerAgentMetrics(meters.registry()).step("Stage", "succeeded");

    HttpResponse<String> text = get("/q/metrics");
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(text.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(text.body())
        .contains("refit_agent_steps_total{action=\"Stage\",outcome=\"succeeded\",} 1.0")
        .contains("jvm_memory_used_bytes")
        .contains("jvm_gc_max_data_size_bytes")
        .contains("jvm_threads_live_threads")
        .contains("process_cpu_usage")
        .contains("process_uptime_seconds");

    HttpResponse<String> open =
        get("/q/metrics", "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(open.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/openmetrics-text");
    assertThat(open.body()).endsWith("# EOF\n");
  }

  @Test
  void unknownPathsAreNotFoundAndOnlyGetAndHeadAreAnswered() throws Exception {
    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/q/health/started-or-whatever").statusCode()).isEqualTo(404);
    assertThat(get("/q/metrics/x").statusCode()).isEqualTo(404);

    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/q/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");

    HttpResponse<String> head =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/q/health/live"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }
}
