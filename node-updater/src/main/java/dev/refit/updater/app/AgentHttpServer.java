package dev.refit.updater.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The agent's HTTP endpoints, on the JDK's own server (no Vert.x, no Netty), at the paths and in
 * the formats the Quarkus build served them:
 *
 * <ul>
 *   <li>{@code /q/health/ready}: 200 {@code {"status":"UP","checks":[{"name":"refit-agent",...}]}}
 *       once the host is detected and the OSNode watch connected, else 503 with status DOWN;
 *   <li>{@code /q/health/live} (and {@code /started}, {@code /well}): 200 while the process
 *       answers;
 *   <li>{@code /q/health}: both;
 *   <li>{@code /q/metrics}: the Prometheus text format, or OpenMetrics when the scraper asks for
 *       it.
 * </ul>
 */
public final class AgentHttpServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ThreadPoolExecutor executor;

  /**
   * Starts serving on the port (0: any free one).
   *
   * @param readiness the readiness check
   * @param scrape renders the metrics for an Accept header value (never null, may be empty)
   */
  public AgentHttpServer(int port, AgentReadiness readiness, Function<String, Metrics> scrape)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    // Probes and scrapes are rare and quick: no thread while idle, two at most, so that one slow
    // client does not hold up the kubelet's probe.
    executor =
        new ThreadPoolExecutor(
            2,
            2,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread thread = new Thread(r, "refit-agent-http");
              thread.setDaemon(true);
              return thread;
            });
    executor.allowCoreThreadTimeOut(true);
    server.setExecutor(executor);
    server.createContext(
        "/q/health",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          switch (path) {
            case "/q/health/ready", "/q/health/ready/" -> health(exchange, List.of(readiness));
            // The agent has no liveness, startup or wellness checks: up while it answers.
            case "/q/health/live",
                "/q/health/live/",
                "/q/health/started",
                "/q/health/started/",
                "/q/health/well",
                "/q/health/well/" ->
                health(exchange, List.of());
            case "/q/health", "/q/health/" -> health(exchange, List.of(readiness));
            default -> send(exchange, 404, "text/plain", "not found\n");
          }
        });
    server.createContext(
        "/q/metrics",
        exchange -> {
          if (!exchange.getRequestURI().getPath().matches("/q/metrics/?")) {
            send(exchange, 404, "text/plain", "not found\n");
            return;
          }
          String accept = exchange.getRequestHeaders().getFirst("Accept");
          Metrics metrics = scrape.apply(accept == null ? "" : accept);
          send(exchange, 200, metrics.contentType(), metrics.body());
        });
    server.createContext("/", exchange -> send(exchange, 404, "text/plain", "not found\n"));
    server.start();
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void health(HttpExchange exchange, List<AgentReadiness> checks)
      throws IOException {
    boolean up = true;
    List<Map<String, Object>> reports = new ArrayList<>();
    for (AgentReadiness check : checks) {
      boolean ready = check.ready();
      up &= ready;
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("name", AgentReadiness.NAME);
      report.put("status", ready ? "UP" : "DOWN");
      report.put("data", check.data());
      reports.add(report);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("checks", reports);
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IOException(e);
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, up ? 200 : 503, "application/json; charset=UTF-8", json);
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      boolean head = method.equals("HEAD");
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  /** Stops listening; a request being answered gets up to a second to finish. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }

  /**
   * A rendered scrape.
   *
   * @param contentType its content type
   * @param body the text
   */
  public record Metrics(String contentType, String body) {}
}
