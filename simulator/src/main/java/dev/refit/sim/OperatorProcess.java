package dev.refit.sim;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real operator, the artifact that ships (the Quarkus application), run as its own process
 * against the embedded API — and killed and started again when a scenario says so. Its peak heap
 * (from its own Prometheus metrics) and peak resident memory (VmHWM) are sampled.
 */
final class OperatorProcess implements AutoCloseable {

  private final Path app;
  private final String apiUrl;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicLong peakHeap = new AtomicLong();
  private final AtomicLong peakRss = new AtomicLong();
  private Process process;
  private int port;
  private int starts;

  private final String replica;
  private final Duration startTimeout;
  private final Map<String, String> settings = new LinkedHashMap<>();

  OperatorProcess(Path app, String apiUrl, Path log) {
    this(app, apiUrl, log, "refit-operator-0");
  }

  /**
   * @param replica the replica's name (its pod's), which it gives as its identity in the Lease
   */
  OperatorProcess(Path app, String apiUrl, Path log, String replica) {
    this(app, apiUrl, log, replica, START_TIMEOUT);
  }

  /**
   * How long a start may take by default: the operator waits up to a minute for its first cache
   * (the policies) and another for the rest while the API server refuses or does not answer
   * (application.properties), and refuses to start after that.
   */
  static final Duration START_TIMEOUT = Duration.ofSeconds(150);

  /**
   * @param startTimeout how long a start may take to report healthy before it is given up
   */
  OperatorProcess(Path app, String apiUrl, Path log, String replica, Duration startTimeout) {
    this.app = app;
    this.apiUrl = apiUrl;
    this.log = log;
    this.replica = replica;
    this.startTimeout = startTimeout;
  }

  /** Sets an environment variable of the operator's next starts (a setting of its own). */
  OperatorProcess setting(String name, String value) {
    settings.put(name, value);
    return this;
  }

  /** The identity this process (as started last) holds the Lease under. */
  String identity() {
    return replica + "-" + starts;
  }

  /** Where the operator application is: beside the simulator jar, or in the build tree. */
  static Path locate(Path override) {
    List<Path> candidates = new ArrayList<>();
    if (override != null) {
      candidates.add(override);
    }
    try {
      Path jar =
          Path.of(
              OperatorProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      candidates.add(jar.resolveSibling("operator").resolve("quarkus-run.jar"));
    } catch (java.net.URISyntaxException | SecurityException e) {
      // fall through to the build tree
    }
    candidates.add(Path.of("operator", "target", "quarkus-app", "quarkus-run.jar"));
    candidates.add(Path.of("..", "operator", "target", "quarkus-app", "quarkus-run.jar"));
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException(
        "cannot find the operator application (quarkus-run.jar); build it with ./mvnw package"
            + " or pass --operator-jar; looked in "
            + candidates);
  }

  /** Starts the operator and waits until it reports ready. */
  void start() throws IOException, InterruptedException {
    start("ready");
  }

  /**
   * Starts the operator and waits until it reports {@code ready}, or only {@code live} (a replica
   * waiting for the Lease reconciles nothing and need not be ready).
   */
  void start(String health) throws IOException, InterruptedException {
    port = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-jar", app.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", apiUrl);
    env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "default");
    env.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put("POD_NAMESPACE", "refit-system");
    env.put("REFIT_DRAIN_RETRY_INTERVAL", "1s");
    env.putAll(settings);
    starts++;
    // as a pod's name is, the replica's identity for leader election
    env.put("HOSTNAME", identity());
    process = builder.start();
    boolean started = false;
    try {
      long deadline = System.nanoTime() + startTimeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IOException(
              "the operator exited at start with code " + process.exitValue() + "; see " + log);
        }
        if (healthy(health)) {
          started = true;
          return;
        }
        Thread.sleep(100);
      }
      throw new IOException(
          "the operator did not become "
              + health
              + " within "
              + startTimeout.toSeconds()
              + " s; see "
              + log);
    } finally {
      if (!started) {
        // a start given up on must not leave its JVM running beside the next one
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private boolean healthy(String health) {
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/" + health))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Kills the operator at once (SIGKILL), as a crash or a lost node would. */
  void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      sample();
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Asks the operator to stop (SIGTERM, as the kubelet does) and waits up to {@code grace} for it
   * to exit; returns whether it did. The operator is killed if it did not.
   */
  boolean terminate(Duration grace) throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return true;
    }
    sample();
    process.destroy();
    boolean exited = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    if (!exited) {
      kill();
    }
    return exited;
  }

  /** Whether the operator process is running. */
  boolean alive() {
    return process != null && process.isAlive();
  }

  /** The exit code of a process that ended. */
  int exitCode() {
    return process.exitValue();
  }

  /** Takes a sample of the operator's heap and resident memory. */
  void sample() {
    if (process == null || !process.isAlive()) {
      return;
    }
    peakRss.accumulateAndGet(residentPeak(process.pid()), Math::max);
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      long heap = 0;
      for (String line : response.body().split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
          heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      peakHeap.accumulateAndGet(heap, Math::max);
    } catch (IOException | RuntimeException e) {
      // a sample missed is a sample missed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** VmHWM, the process's peak resident set, in bytes. */
  static long residentPeak(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not on Linux, or the process is gone
    }
    return 0;
  }

  long peakHeapBytes() {
    return peakHeap.get();
  }

  long peakRssBytes() {
    return peakRss.get();
  }

  int starts() {
    return starts;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
