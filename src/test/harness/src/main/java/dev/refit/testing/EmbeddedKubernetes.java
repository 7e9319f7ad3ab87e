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
import java.util.HashMap;
import java.util.List;

/**
 * The embedded Kubernetes API for tests and the simulator: Fabric8's mock server in CRUD mode, plus
 * what it lacks (see {@link HarnessDispatcher}), with Refit's CRDs installed from the committed
 * YAML. Plain HTTP on the loopback interface, so child processes can reach it with {@code
 * KUBERNETES_MASTER=http://127.0.0.1:PORT}.
 */
public final class EmbeddedKubernetes implements AutoCloseable {

  /** The committed CRDs, as the crds jar carries them. */
  public static final List<String> REFIT_CRDS =
      List.of("osupdatepolicies.refit.dev.yaml", "osnodes.refit.dev.yaml");

  private final ApiRequestLog requests = new ApiRequestLog();
  private final MockWebServer webServer = new MockWebServer();
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Thread requestDrainer;

  private EmbeddedKubernetes(int port) {
    HarnessDispatcher dispatcher = new HarnessDispatcher(requests);
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
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url())
            .withNamespace("default")
            .withRequestRetryBackoffLimit(0)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** What the API served so far. */
  public ApiRequestLog requests() {
    return requests;
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
  }
}
