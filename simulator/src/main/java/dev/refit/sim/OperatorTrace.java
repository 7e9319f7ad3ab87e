package dev.refit.sim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operator process a {@link Simulation} started, found from outside (it is this process's
 * child, and its environment names the API it talks to and its HTTP port), and its memory over
 * time: heap in use and in the old generation (from its own Prometheus metrics) and resident set
 * (VmRSS), one sample per call. Linux only: it reads {@code /proc}.
 */
final class OperatorTrace {

  /** Set by {@link OperatorProcess} for the operator: the API server's URL and its HTTP port. */
  private static final String API_URL = "QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL";

  private static final String HTTP_PORT = "QUARKUS_HTTP_PORT";

  /** One sample. */
  record Sample(double atSeconds, long heapBytes, long oldGenBytes, long rssBytes) {}

  private final long pid;
  private final String apiUrl;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private OperatorTrace(long pid, String apiUrl, int port) {
    this.pid = pid;
    this.apiUrl = apiUrl;
    this.port = port;
  }

  /** The running operator child of this process, if there is one. */
  static Optional<OperatorTrace> find() {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .map(p -> of(p.pid()))
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static Optional<OperatorTrace> of(long pid) {
    Map<String, String> env = environment(pid);
    if (!env.containsKey(API_URL) || !env.containsKey(HTTP_PORT)) {
      return Optional.empty();
    }
    return Optional.of(
        new OperatorTrace(pid, env.get(API_URL), Integer.parseInt(env.get(HTTP_PORT))));
  }

  /** A process's environment as it was started; empty if it cannot be read. */
  static Map<String, String> environment(long pid) {
    Map<String, String> env = new HashMap<>();
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
      for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
        int eq = entry.indexOf('=');
        if (eq > 0) {
          env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
      }
    } catch (IOException e) {
      // gone, not ours, or not Linux
    }
    return env;
  }

  String apiUrl() {
    return apiUrl;
  }

  boolean alive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** A sample, at this time of the run; null if the operator did not answer. */
  Sample sample(double atSeconds) {
    long rss = statusField("VmRSS:");
    try {
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      long heap = 0;
      long old = 0;
      for (String line : metrics.split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
          long value = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          heap += value;
          // the serial collector's old generation: what survived collections
          old += line.contains("Tenured") ? value : 0;
        }
      }
      return new Sample(atSeconds, heap, old, rss);
    } catch (IOException | RuntimeException e) {
      return null; // a sample missed is a sample missed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** A field of /proc/PID/status in bytes (given in kB), or 0. */
  private long statusField(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the process is gone
    }
    return 0;
  }
}
