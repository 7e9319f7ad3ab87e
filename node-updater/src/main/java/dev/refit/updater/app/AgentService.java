package dev.refit.updater.app;

import dev.refit.api.OSFamily;
import dev.refit.updater.agent.AgentSettings;
import dev.refit.updater.agent.NodeAgent;
import dev.refit.updater.agent.OsBackend;
import dev.refit.updater.backend.Backends;
import dev.refit.updater.backend.fake.FakeBackend;
import dev.refit.updater.backend.fake.FakeHost;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostCommandRunner;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostExecution;
import dev.refit.updater.host.HostState;
import dev.refit.updater.kube.ConfigMapModuleSources;
import dev.refit.updater.kube.OwnOsNodeWatch;
import dev.refit.updater.kube.StatusPatcher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Wires the agent at startup: detects the host's OS (retrying every minute while it cannot), then
 * starts the agent and the watch of the node's own OSNode. One scheduler thread runs every step.
 */
public final class AgentService implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(AgentService.class.getName());

  private final AgentConfig config;
  private final KubernetesClient client;
  private final MeterRegistry registry;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "refit-agent");
            thread.setDaemon(true);
            return thread;
          });
  private volatile OsBackend backend;
  private volatile NodeAgent agent;
  private volatile OwnOsNodeWatch watch;

  /** An agent for the node the configuration names; nothing runs before {@link #start()}. */
  public AgentService(AgentConfig config, KubernetesClient client, MeterRegistry registry) {
    this.config = config;
    this.client = client;
    this.registry = registry;
  }

  /**
   * Starts detecting the host and then watching the OSNode, on the agent's thread.
   *
   * @throws IllegalStateException if the configuration names no node
   */
  public void start() {
    if (config.nodeName().isBlank()) {
      throw new IllegalStateException(
          "NODE_NAME is not set: give the pod env NODE_NAME from the downward API (spec.nodeName)");
    }
    executor.execute(this::detect);
  }

  private void detect() {
    try {
      backend = backend();
      LOG.info("host detected: " + backend.family() + "; watching OSNode " + config.nodeName());
    } catch (HostException e) {
      LOG.warning("cannot detect the host's OS, retrying in 1 minute: " + e.getMessage());
      executor.schedule(this::detect, 1, TimeUnit.MINUTES);
      return;
    }
    AgentSettings defaults = AgentSettings.defaults();
    agent =
        new NodeAgent(
                config.nodeName(),
                backend,
                new StatusPatcher(client),
                new ConfigMapModuleSources(client),
                executor,
                Clock.systemUTC(),
                new AgentSettings(
                    config.rebootGrace(),
                    config.factsInterval(),
                    defaults.retryDelay(),
                    defaults.maxFactFailures()),
                new MicrometerAgentMetrics(registry))
            .start();
    watch = new OwnOsNodeWatch(client, config.nodeName(), agent);
  }

  private OsBackend backend() throws HostException {
    if ("fake".equals(config.backend())) {
      return new FakeBackend(FakeHost.running(config.nodeName(), "40.20241201.3.0"));
    }
    HostExecution execution =
        switch (config.hostExecution()) {
          case "chroot" -> HostExecution.chroot(Path.of(config.hostRoot()));
          case "direct" -> HostExecution.direct();
          default -> HostExecution.nsenter();
        };
    CommandRunner runner = new TimedCommandRunner(new HostCommandRunner(execution), registry);
    HostState run = HostState.directory(Path.of(config.runDir()), "/run/refit");
    HostState state = HostState.directory(Path.of(config.stateDir()), "/var/lib/refit");
    return Backends.detect(runner, run, state, Clock.systemUTC(), config.rebootGrace());
  }

  /** The detected family, or null while the host is not detected. */
  public OSFamily family() {
    OsBackend b = backend;
    return b == null ? null : b.family();
  }

  /** Whether the OSNode watch is connected. */
  public boolean watching() {
    OwnOsNodeWatch w = watch;
    return w != null && w.watching();
  }

  /** Stops the watch and the agent, interrupts a running step and waits up to 5 s for it. */
  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
    if (agent != null) {
      agent.close();
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
