package dev.refit.operator.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small HTTP server that speaks Prometheus' instant-query API ({@code GET /api/v1/query}) with
 * the answer a test sets: an empty vector, firing alerts, a query error, or no answer in time. It
 * records the queries it was asked.
 */
public final class FakePrometheus implements AutoCloseable {

  /** One canned answer: the HTTP status, the body, and how long to wait before sending it. */
  public record Answer(int status, String body, long delayMillis) {

    /** Success with an empty instant vector: nothing fires. */
    public static Answer noSeries() {
      return new Answer(200, vector(""), 0);
    }

    /** Success with one {@code ALERTS} series per alert name. */
    public static Answer firing(String... alerts) {
      StringBuilder series = new StringBuilder();
      for (String alert : alerts) {
        series
            .append(series.length() == 0 ? "" : ",")
            .append("{\"metric\":{\"__name__\":\"ALERTS\",\"alertname\":\"")
            .append(alert)
            .append("\",\"alertstate\":\"firing\"},\"value\":[1765000000.0,\"1\"]}");
      }
      return new Answer(200, vector(series.toString()), 0);
    }

    /** A query error, as Prometheus answers a query it cannot parse. */
    public static Answer error(String message) {
      return new Answer(
          400,
          "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"" + message + "\"}",
          0);
    }

    /** An empty vector sent only after {@code delayMillis}. */
    public static Answer slow(long delayMillis) {
      return new Answer(200, vector(""), delayMillis);
    }

    private static String vector(String series) {
      return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
          + series
          + "]}}";
    }
  }

  private final HttpServer server;
  private final java.util.concurrent.ExecutorService threads =
      java.util.concurrent.Executors.newCachedThreadPool();
  private final AtomicReference<Answer> answer = new AtomicReference<>(Answer.noSeries());
  private final List<String> queries = new CopyOnWriteArrayList<>();

  public FakePrometheus() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a local port for the fake Prometheus", e);
    }
    server.setExecutor(threads);
    server.createContext("/api/v1/query", this::query);
    server.start();
  }

  /** The base URL, as {@code healthCheck.prometheus.url} takes it. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every later query gets this answer. */
  public void answer(Answer next) {
    answer.set(next);
  }

  /** The PromQL of every query asked so far, in order. */
  public List<String> queries() {
    return List.copyOf(queries);
  }

  private void query(HttpExchange exchange) throws IOException {
    String raw = exchange.getRequestURI().getRawQuery();
    String promql = null;
    for (String pair : raw == null ? new String[0] : raw.split("&")) {
      if (pair.startsWith("query=")) {
        promql = URLDecoder.decode(pair.substring("query=".length()), StandardCharsets.UTF_8);
      }
    }
    Answer now = answer.get();
    if (promql == null) {
      now = Answer.error("query parameter is missing");
    } else {
      queries.add(promql);
    }
    if (now.delayMillis() > 0) {
      try {
        Thread.sleep(now.delayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] body = now.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(now.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    } catch (IOException e) {
      // the client gave up waiting (a timeout under test): nothing to tell it
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
