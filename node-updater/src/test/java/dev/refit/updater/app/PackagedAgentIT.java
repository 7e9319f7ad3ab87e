package dev.refit.updater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.refit.api.OSFamily;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.OSTarget;
import dev.refit.api.Revisions;
import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent (target/agent, as the image holds it) run as its own process with the image's
 * JVM options (target/agent/jvm.options): it starts with only its own dependencies, reports, serves
 * health and metrics, and stops on SIGTERM. Guards the footprint too: no Vert.x, Netty or Quarkus
 * is packaged.
 */
class PackagedAgentIT {

  static final Path AGENT = Path.of("target", "agent");

  final EmbeddedKubernetes api = EmbeddedKubernetes.start();
  final HttpClient http = HttpClient.newHttpClient();
  Process process;

  @AfterEach
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    api.close();
  }

  @Test
  void onlyTheAgentsOwnDependenciesArePackaged() throws IOException {
    List<String> jars;
    try (Stream<Path> files = Files.list(AGENT.resolve("lib"))) {
      jars = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(jars)
        .contains("kubernetes-httpclient-jdk-7.3.1.jar", "slf4j-jdk14-2.0.17.jar")
        .noneMatch(jar -> jar.startsWith("vertx-") || jar.contains("-vertx"))
        .noneMatch(jar -> jar.startsWith("netty-"))
        .noneMatch(jar -> jar.startsWith("quarkus-"))
        .noneMatch(jar -> jar.startsWith("junit-") || jar.startsWith("refit-testkit"));
  }

  @Test
  void thePackagedAgentRunsWithTheImagesOptionsAndStopsOnSigterm() throws Exception {
    OSNode osNode = new OSNode();
    osNode.setMetadata(new ObjectMetaBuilder().withName("worker-1").build());
    OSNodeSpec spec = new OSNodeSpec();
    spec.setPolicy("workers");
    spec.setOs(OSTarget.version("40.20241201.3.0"));
    spec.setDesiredRevision(Revisions.of(spec.getOs(), null));
    osNode.setSpec(spec);
    api.client().resource(osNode).create();
    int port = freePort();
    Path log = Files.createTempFile("node-updater", ".log");

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + AGENT.resolve("jvm.options").toAbsolutePath());
    command.add("-jar");
    command.add(AGENT.resolve("node-updater-agent.jar").toAbsolutePath().toString());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("MALLOC_ARENA_MAX", "2");
    builder.environment().put("NODE_NAME", "worker-1");
    builder.environment().put("REFIT_AGENT_BACKEND", "fake");
    builder.environment().put("REFIT_AGENT_HTTP_PORT", Integer.toString(port));
    builder.environment().put("KUBERNETES_MASTER", api.url());
    builder.environment().put("KUBERNETES_NAMESPACE", "default");
    builder.environment().put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    // The embedded API is plain HTTP: no h2c upgrade (see EmbeddedKubernetes#newClient).
    builder.environment().put("KUBERNETES_HTTP2_DISABLE", "true");
    process = builder.start();

    // Generous: the JVM starts slowly on a busy 2-core machine.
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> status(port, "/q/health/ready") == 200);
    await().atMost(Duration.ofSeconds(30)).until(() -> reported().getFamily() != null);
    OSNodeStatus reported = reported();
    assertThat(reported.getFamily()).isEqualTo(OSFamily.FedoraCoreOS);
    assertThat(reported.getCurrentRevision()).isNotNull();
    assertThat(body(port, "/q/metrics")).contains("refit_agent_steps_total{action=\"None\"");
    assertThat(status(port, "/q/health/live")).isEqualTo(200);

    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log);
    assertThat(output)
        .contains("INFO  [d.r.u.a.AgentService] host detected: FedoraCoreOS")
        .doesNotContain("ERROR")
        .doesNotContain("SLF4J(W)");
    Files.delete(log);
  }

  OSNodeStatus reported() {
    OSNodeStatus status =
        api.client().resources(OSNode.class).withName("worker-1").get().getStatus();
    return status == null ? new OSNodeStatus() : status;
  }

  int status(int port, String path) {
    try {
      return http.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  String body(int port, String path) throws IOException, InterruptedException {
    return http.send(request(port, path), HttpResponse.BodyHandlers.ofString()).body();
  }

  static HttpRequest request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
