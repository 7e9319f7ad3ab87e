package dev.refit.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;

/**
 * The embedded Kubernetes API for tests and the simulator: Fabric8's mock server in CRUD mode, plus
 * what it lacks (see {@link HarnessDispatcher}), with Refit's CRDs installed from the committed
 * YAML. Plain HTTP on the loopback interface, so child processes can reach it with {@code
 * KUBERNETES_MASTER=http://127.0.0.1:PORT}.
 *
 * <p>On top of the stock mock server it serves the Eviction API with PodDisruptionBudget checks
 * ({@link #evictions()} records each answer), field selectors on {@code spec.nodeName} and {@code
 * status.phase} for pods (lists, watches, informers, deletecollection), RFC 7386 merge patches, and
 * it records budget violations by any other path ({@link #pdbViolations()}). Nodes with kubelets
 * and replicated workloads come from {@link FakeNodes} and {@link FakeWorkloads}:
 *
 * <pre>{@code
 * try (EmbeddedKubernetes api = EmbeddedKubernetes.start();
 *     FakeNodes nodes = new FakeNodes(api, HarnessTiming.fast());
 *     FakeWorkloads workloads = new FakeWorkloads(api)) {
 *   nodes.add("worker-1", Map.of("pool", "blue"));
 *   workloads.define(Workload.named("web").withReplicas(3).withBudget(Budget.minAvailable(2)));
 *   ...
 *   assertThat(api.pdbViolations()).isEmpty();
 * }
 * }</pre>
 *
 * <p>Lookups are served from an index of the store ({@link IndexedCrudDispatcher}) rather than a
 * scan of every object, so it holds a fleet of thousands of nodes (measured in {@code
 * docs/benchmarks.md}, "Embedded API at scale"). Every request still runs on one event-loop thread,
 * and every open watch costs the server a thread: feed many agents from one shared informer.
 *
 * <p>What remains different from a real API server: no admission (schema, CEL, defaults), no
 * server-side apply or strategic merge patch (415), watches replay everything as ADDED and ignore
 * resourceVersion, a direct DELETE of a pod removes it at once (no graceful deletion; evictions are
 * graceful), and any write that leaves a deletionTimestamp on an object without finalizers deletes
 * it, so do not update a terminating pod.
 */
public final class EmbeddedKubernetes implements AutoCloseable {

  /**
   * The mock web server logs every request at INFO; at fleet scale that drowns everything else.
   * Held in a field so the logger's level is not lost to garbage collection.
   */
  private static final java.util.logging.Logger QUIET_MOCK_SERVER =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    QUIET_MOCK_SERVER.setLevel(java.util.logging.Level.WARNING);
  }

  /** The committed CRDs, as the crds jar carries them. */
  public static final List<String> REFIT_CRDS =
      List.of("osupdatepolicies.refit.dev.yaml", "osnodes.refit.dev.yaml");

  private final ApiFaults faults;
  private final HarnessDispatcher dispatcher;
  private final ApiRequestLog requests = new ApiRequestLog();
  private final DisruptionLog disruptions = new DisruptionLog();
  private final MockWebServer webServer = new MockWebServer();
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Thread requestDrainer;

  private EmbeddedKubernetes(int port) {
    dispatcher = new HarnessDispatcher(requests, disruptions, Clock.systemUTC());
    this.faults = dispatcher.faults();
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()), webServer, new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), port);
    client = newClient();
    // The web server records every request in a queue; consume it so long runs keep a flat heap.
    requestDrainer = new Thread(this::drainRecordedRequests, "embedded-api-request-drainer");
    requestDrainer.setDaemon(true);
    requestDrainer.start();
  }

  /** Starts the API on a free port, with Refit's CRDs installed. */
  public static EmbeddedKubernetes start() {
    return start(0);
  }

  /** Starts the API on the given port (0 for any free port), with Refit's CRDs installed. */
  public static EmbeddedKubernetes start(int port) {
    EmbeddedKubernetes api = new EmbeddedKubernetes(port);
    api.installRefitCrds();
    return api;
  }

  /** The API's base URL, e.g. {@code http://127.0.0.1:40123}. */
  public String url() {
    return "http://127.0.0.1:" + webServer.getPort();
  }

  public int port() {
    return webServer.getPort();
  }

  /** A client shared by the test code (not the operator's own). */
  public KubernetesClient client() {
    return client;
  }

  /** A new client of its own, e.g. for one simulated agent or an operator instance. */
  public KubernetesClient newClient() {
    return newClient("refit-test-harness");
  }

  /**
   * A new client that names itself with this User-Agent, so {@link #faults()} can aim at it. It
   * retries failed requests the way a production client is configured to.
   */
  public KubernetesClient newClient(String userAgent) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url())
            .withNamespace("default")
            .withUserAgent(userAgent)
            .withRequestRetryBackoffLimit(userAgent.startsWith("refit-test") ? 0 : 3)
            .withRequestRetryBackoffInterval(50)
            // HTTP/1.1 only: the JDK transport would otherwise ask the plain-HTTP server for an
            // h2c upgrade, which the mock server accepts and, now and then, never answers.
            .withHttp2Disable(true)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * Cuts the watches of one resource (e.g. {@code "nodes"}) by the clients whose User-Agent
   * contains {@code userAgent} off from the server: the open ones end and new ones are refused
   * (503) until {@link #restoreWatches}, while lists and gets still answer. Their informers keep
   * the last state they saw, as one does while its watch is being re-established.
   */
  public void severWatches(String userAgent, String resource) {
    dispatcher.severWatches(userAgent, resource);
  }

  /** Lets every client watch again. */
  public void restoreWatches() {
    dispatcher.restoreWatches();
  }

  /**
   * Holds back the answer to the next request that matches, once: serves it, starts {@code
   * meanwhile} on a thread of its own, and sends the answer {@code delay} later, as a slow server
   * does. The client making the request waits meanwhile, so what it does next is late by as much.
   */
  public void holdBack(
      java.util.function.Predicate<HeldRequest> matches, Duration delay, Runnable meanwhile) {
    dispatcher.holdBack(matches, delay, meanwhile);
  }

  /**
   * Answers every request that matches with 403 Forbidden, as a server does for a client whose role
   * lacks the verb, until called again with null.
   */
  public void forbid(java.util.function.Predicate<HeldRequest> matches) {
    dispatcher.forbid(matches);
  }

  /** Injected API errors (none unless asked for). */
  public ApiFaults faults() {
    return faults;
  }

  /** When the API wrote each recent resourceVersion: a judge's clock that no watch delays. */
  public ServerTimes serverTimes() {
    return dispatcher.serverTimes();
  }

  /** What the API served so far. */
  public ApiRequestLog requests() {
    return requests;
  }

  /**
   * Every answer the Eviction API gave so far, oldest first: allowed, blocked by a budget (429),
   * pod not found (404), several budgets (500).
   */
  public List<EvictionDecision> evictions() {
    return disruptions.evictions();
  }

  /**
   * Budget violations so far, oldest first: healthy pods covered by a PodDisruptionBudget that were
   * deleted or marked terminating by something other than an allowed eviction while that left the
   * budget short.
   */
  public List<PdbViolation> pdbViolations() {
    return disruptions.violations();
  }

  /** Forgets recorded evictions and violations, e.g. between phases of a simulation. */
  public void clearDisruptionRecords() {
    disruptions.clear();
  }

  private void installRefitCrds() {
    for (String name : REFIT_CRDS) {
      try (InputStream yaml = crdResource(name)) {
        client.resource(Serialization.unmarshal(yaml, CustomResourceDefinition.class)).create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static InputStream crdResource(String name) {
    InputStream stream =
        EmbeddedKubernetes.class
            .getClassLoader()
            .getResourceAsStream("META-INF/refit/crds/" + name);
    if (stream == null) {
      throw new IllegalStateException("CRD " + name + " is not on the classpath (refit-crds jar)");
    }
    return stream;
  }

  private void drainRecordedRequests() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        webServer.takeRequest();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    requestDrainer.interrupt();
    client.close();
    server.destroy();
    requests.writeCallsIfAsked();
  }
}
