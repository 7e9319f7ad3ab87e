package dev.refit.updater.app;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node-updater process: reads the configuration ({@link AgentConfig}), starts the agent, its
 * OSNode watch and its HTTP endpoints, and stops them on SIGTERM. Plain Java on purpose: one runs
 * on every node, and Quarkus with the Fabric8 Vert.x transport cost 108 MiB resident where this
 * costs under 96 MiB (docs/benchmarks.md).
 */
public final class AgentMain {

  private static final Logger LOG = Logger.getLogger(AgentMain.class.getName());

  /**
   * The User-Agent of the agent's requests, {@code refit-node-updater/<version>}: API server audit
   * logs tell the agent's requests by it (and the chart's tests derive the agent's RBAC from it).
   */
  public static final String USER_AGENT =
      "refit-node-updater/"
          + Objects.requireNonNullElse(
              AgentMain.class.getPackage().getImplementationVersion(), "dev");

  private AgentMain() {}

  /** Runs the agent until the process is told to stop; exits with 1 if it cannot start. */
  public static void main(String[] args) throws InterruptedException {
    configureLogging();
    Running running;
    try {
      running = start(AgentConfig.fromProcess(), newClient());
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.SEVERE, "the agent cannot start: " + e.getMessage(), e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.close();
                  stopped.countDown();
                },
                "refit-agent-shutdown"));
    LOG.info("refit node-updater started; health and metrics on port " + running.port());
    stopped.await();
  }

  /**
   * The Kubernetes client: configured the usual Fabric8 way (in-cluster service account, or
   * KUBERNETES_MASTER and friends), on the JDK's HTTP client, naming itself {@link #USER_AGENT}.
   * The factory is named rather than looked up, so no other transport on the classpath can be
   * picked instead.
   */
  public static KubernetesClient newClient() {
    Config config = new ConfigBuilder().build();
    config.setUserAgent(USER_AGENT);
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new JdkHttpClientFactory())
        .build();
  }

  /**
   * Starts the agent with the given client; closing the result stops everything and closes the
   * client.
   *
   * @throws IllegalStateException if the configuration names no node
   * @throws IOException if the HTTP port cannot be bound
   */
  public static Running start(AgentConfig config, KubernetesClient client) throws IOException {
    AgentMeters meters = new AgentMeters();
    AgentService service = new AgentService(config, client, meters.registry());
    AgentHttpServer server = null;
    try {
      service.start();
      server = new AgentHttpServer(config.httpPort(), new AgentReadiness(service), meters::scrape);
      return new Running(service, server, meters, client);
    } catch (IOException | RuntimeException e) {
      new Running(service, server, meters, client).close();
      throw e;
    }
  }

  /** Logs one line per record to stderr, unless a logging configuration file is given. */
  static void configureLogging() {
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    ConsoleHandler console = new ConsoleHandler();
    console.setFormatter(new LineFormatter());
    console.setLevel(Level.ALL);
    root.addHandler(console);
    root.setLevel(Level.INFO);
  }

  /** The running agent. */
  public static final class Running implements AutoCloseable {

    private final AgentService service;
    private final AgentHttpServer server;
    private final AgentMeters meters;
    private final KubernetesClient client;

    Running(
        AgentService service, AgentHttpServer server, AgentMeters meters, KubernetesClient client) {
      this.service = service;
      this.server = server;
      this.meters = meters;
      this.client = client;
    }

    /** The port of /q/health and /q/metrics. */
    public int port() {
      return server.port();
    }

    /** Stops the watch and the agent first, so no step is left running against a closed client. */
    @Override
    public void close() {
      service.close();
      if (server != null) {
        server.close();
      }
      meters.close();
      client.close();
    }
  }
}
