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
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The operator process a {@link Simulation} started, found from outside (it is this process's
 * child, and its environment names the API it talks to and its HTTP port), and its memory over
 * time: heap in use and in the old generation (from its own Prometheus metrics) and resident set
 * (VmRSS), one sample per call; its live heap after a full collection, on request; and how long its
 * reconciliations took. Linux only: it reads {@code /proc}.
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
    String metrics = metrics();
    if (metrics == null) {
      return null; // a sample missed is a sample missed
    }
    long heap = 0;
    long old = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        long value = (long) value(line);
        heap += value;
        // the serial collector's old generation: what survived collections
        old += line.contains("Tenured") ? value : 0;
      }
    }
    return new Sample(atSeconds, heap, old, rss);
  }

  /**
   * The heap the operator holds right after a full collection, asked of its JVM with {@code jcmd
   * PID GC.run}: its live data, garbage not counted. Null if that could not be done.
   */
  Sample afterFullCollection(double atSeconds) {
    Path jcmd =
        ProcessHandle.of(pid)
            .flatMap(p -> p.info().command())
            .map(java -> Path.of(java).resolveSibling("jcmd"))
            .filter(Files::isExecutable)
            .orElse(Path.of(System.getProperty("java.home"), "bin", "jcmd"));
    try {
      Process gc =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!gc.waitFor(30, TimeUnit.SECONDS)) {
        gc.destroyForcibly();
        return null;
      }
      return gc.exitValue() == 0 ? sample(atSeconds) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * How long the operator's reconciliations took so far, from the Operator SDK's timer (its
   * Prometheus histogram, every policy together); null if the operator did not answer.
   */
  Reconciles reconciles() {
    String metrics = metrics();
    return metrics == null ? null : Reconciles.parse(metrics);
  }

  /**
   * Reconciliation durations: how many, and the cumulative count under each bucket's upper bound
   * (seconds), summed over the timer's series.
   */
  record Reconciles(long count, double sumSeconds, NavigableMap<Double, Double> buckets) {

    private static final String TIMER = "operator_sdk_controllers_execution_reconcile_seconds";

    static Reconciles parse(String metrics) {
      NavigableMap<Double, Double> buckets = new TreeMap<>();
      long count = 0;
      double sum = 0;
      for (String line : metrics.split("\n")) {
        if (line.startsWith(TIMER + "_bucket{")) {
          int le = line.indexOf("le=\"") + 4;
          String bound = line.substring(le, line.indexOf('"', le));
          double upper =
              bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
          buckets.merge(upper, value(line), Double::sum);
        } else if (line.startsWith(TIMER + "_count{")) {
          count += (long) value(line);
        } else if (line.startsWith(TIMER + "_sum{")) {
          sum += value(line);
        }
      }
      return new Reconciles(count, sum, buckets);
    }

    /**
     * The upper bound, in seconds, of the bucket that holds quantile {@code q}: at least that share
     * of the reconciliations took no longer. NaN when there were none.
     */
    double atMost(double q) {
      double total = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
      if (total == 0) {
        return Double.NaN;
      }
      return buckets.entrySet().stream()
          .filter(b -> b.getValue() >= q * total)
          .findFirst()
          .map(Map.Entry::getKey)
          .orElse(Double.POSITIVE_INFINITY);
    }
  }

  /** The operator's Prometheus metrics, or null if it did not answer. */
  private String metrics() {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The value of a Prometheus sample line. */
  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
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
