package dev.refit.system.agents;

import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.testing.FakeNodes;
import dev.refit.updater.agent.AgentMetrics;
import dev.refit.updater.agent.AgentSettings;
import dev.refit.updater.agent.ModuleSources;
import dev.refit.updater.agent.NodeAgent;
import dev.refit.updater.backend.fake.FakeBackend;
import dev.refit.updater.backend.fake.FakeHost;
import dev.refit.updater.kube.OwnOsNodeWatch;
import dev.refit.updater.kube.StatusPatcher;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The real node-updater agent (core, status writer, name-scoped OSNode watch) on every simulated
 * host, each over a {@link FakeHost} whose machine is the node's fake kubelet. As a DaemonSet pod
 * would, an agent is restarted from scratch when its node boots: nothing it knew survives but the
 * OSNode and the host.
 */
public final class SimulatedAgents implements AutoCloseable {

  private final EmbeddedKubernetes api;
  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4);
  private final Map<String, FakeHost> hosts = new ConcurrentHashMap<>();
  private final Map<String, Running> agents = new ConcurrentHashMap<>();
  private final Map<String, Integer> restarts = new ConcurrentHashMap<>();
  private final KubernetesClient nodeClient;
  private final SharedIndexInformer<Node> boots;
  private final AgentSettings settings =
      new AgentSettings(Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofMillis(200), 5);

  private record Running(NodeAgent agent, OwnOsNodeWatch watch, KubernetesClient client) {
    void stop() {
      watch.close();
      agent.close();
      client.close();
    }
  }

  public SimulatedAgents(EmbeddedKubernetes api, FakeNodes nodes, String version, Duration stage) {
    this.api = api;
    for (String name : nodes.names()) {
      FakeHost host =
          new FakeHost(
                  OSFamily.FedoraCoreOS,
                  FakeHost.deploymentOf(OSTarget.version(version)),
                  new KubeletMachine(nodes, name),
                  Clock.systemUTC())
              .stageDuration(stage);
      hosts.put(name, host);
      start(name);
    }
    nodeClient = api.newClient();
    boots =
        nodeClient
            .nodes()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Node node) {}

                  @Override
                  public void onUpdate(Node older, Node newer) {
                    if (!Objects.equals(bootId(older), bootId(newer))) {
                      restart(newer.getMetadata().getName());
                    }
                  }

                  @Override
                  public void onDelete(Node node, boolean unknown) {}
                },
                0);
  }

  private void start(String name) {
    KubernetesClient client = api.newClient();
    NodeAgent agent =
        new NodeAgent(
                name,
                new FakeBackend(hosts.get(name)),
                new StatusPatcher(client),
                ModuleSources.inlineOnly(),
                executor,
                Clock.systemUTC(),
                settings,
                AgentMetrics.NONE)
            .start();
    agents.put(name, new Running(agent, new OwnOsNodeWatch(client, name, agent), client));
  }

  /** The node booted: its agent pod starts over. */
  private synchronized void restart(String name) {
    Running old = agents.remove(name);
    if (old != null) {
      old.stop();
    }
    restarts.merge(name, 1, Integer::sum);
    start(name);
  }

  /** The host under a node. */
  public FakeHost host(String name) {
    return hosts.get(name);
  }

  /** How many times each node's agent was restarted by a boot. */
  public Map<String, Integer> restarts() {
    return Map.copyOf(restarts);
  }

  private static String bootId(Node node) {
    return node.getStatus() == null || node.getStatus().getNodeInfo() == null
        ? null
        : node.getStatus().getNodeInfo().getBootID();
  }

  @Override
  public void close() {
    boots.close();
    nodeClient.close();
    agents.values().forEach(Running::stop);
    executor.shutdownNow();
  }
}
