package dev.refit.sim;

import dev.refit.api.Nodes;
import dev.refit.api.OSNode;
import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.updater.agent.AgentMetrics;
import dev.refit.updater.agent.AgentSettings;
import dev.refit.updater.agent.ModuleSources;
import dev.refit.updater.agent.NodeAgent;
import dev.refit.updater.backend.fake.FakeBackend;
import dev.refit.updater.backend.fake.FakeHost;
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
 * The real node-updater agent (its core and status writer) on every simulated host, over a fake OS
 * backend whose machine is the node's fake kubelet. Unlike a real fleet, where each agent watches
 * its own OSNode, one shared informer feeds all of them here: thousands of per-object watches would
 * cost the embedded API a thread each. As a DaemonSet pod would be, an agent is started afresh when
 * its node boots: nothing it knew survives but the OSNode and the host.
 *
 * <p>The agents write their status on a client named as the agent's ({@code refit-node-updater/});
 * the shared watches, which stand in for each agent's own and for its restart at boot, are the
 * simulation's and use a client of their own, so they are not counted among the agent's calls.
 */
final class SimulatedAgents implements AutoCloseable {

  private final KubernetesClient client;
  private final KubernetesClient feed;
  private final ScheduledExecutorService executor;
  private final Map<String, FakeHost> hosts;
  private final Map<String, NodeAgent> agents = new ConcurrentHashMap<>();

  /**
   * Facts are read every {@link #FACTS_INTERVAL} (10 min on a real host), so a change made on a
   * host by hand (an {@code selinux} event) shows on its OSNode within seconds, as it would within
   * the real interval.
   */
  static final Duration FACTS_INTERVAL = Duration.ofSeconds(3);

  private final AgentSettings settings =
      new AgentSettings(Duration.ofMinutes(2), FACTS_INTERVAL, Duration.ofMillis(500), 5);
  private final StatusPatcher sink;
  private SharedIndexInformer<OSNode> osNodes;
  private SharedIndexInformer<Node> boots;

  SimulatedAgents(EmbeddedKubernetes api, Map<String, FakeHost> hosts, int threads) {
    this.client = api.newClient("refit-node-updater/simulated");
    this.feed = api.newClient("refit-simulator/agent-feed");
    this.hosts = hosts;
    this.sink = new StatusPatcher(client);
    this.executor =
        Executors.newScheduledThreadPool(
            threads,
            r -> {
              Thread thread = new Thread(r, "simulated-agent");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts every agent and the shared watches that feed them. */
  SimulatedAgents start() {
    hosts.keySet().forEach(this::startAgent);
    osNodes =
        feed.resources(OSNode.class)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(OSNode osNode) {
                    deliver(osNode);
                  }

                  @Override
                  public void onUpdate(OSNode older, OSNode newer) {
                    deliver(newer);
                  }

                  @Override
                  public void onDelete(OSNode osNode, boolean unknown) {
                    NodeAgent agent = agents.get(osNode.getMetadata().getName());
                    if (agent != null) {
                      agent.onOsNodeDeleted();
                    }
                  }
                },
                0);
    boots =
        feed.nodes()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Node node) {}

                  @Override
                  public void onUpdate(Node older, Node newer) {
                    if (!Objects.equals(Nodes.bootId(older), Nodes.bootId(newer))) {
                      restart(newer.getMetadata().getName());
                    }
                  }

                  @Override
                  public void onDelete(Node node, boolean unknown) {
                    NodeAgent agent = agents.remove(node.getMetadata().getName());
                    if (agent != null) {
                      agent.close();
                    }
                  }
                },
                0);
    return this;
  }

  private void deliver(OSNode osNode) {
    NodeAgent agent = agents.get(osNode.getMetadata().getName());
    if (agent != null) {
      agent.onOsNode(osNode);
    }
  }

  private void startAgent(String node) {
    NodeAgent agent =
        new NodeAgent(
                node,
                new FakeBackend(hosts.get(node)),
                sink,
                ModuleSources.inlineOnly(),
                executor,
                Clock.systemUTC(),
                settings,
                AgentMetrics.NONE)
            .start();
    agents.put(node, agent);
  }

  /** The node leaves: its agent stops. */
  void stop(String node) {
    NodeAgent agent = agents.remove(node);
    if (agent != null) {
      agent.close();
    }
  }

  /** A node joined: its agent starts. */
  void add(String node) {
    startAgent(node);
    OSNode current = osNodes == null ? null : osNodes.getStore().getByKey(node);
    if (current != null) {
      agents.get(node).onOsNode(current);
    }
  }

  /** The node booted, or its agent's process was restarted: it starts over from its OSNode. */
  void restart(String node) {
    NodeAgent old = agents.remove(node);
    if (old == null) {
      return;
    }
    old.close();
    startAgent(node);
    OSNode current = osNodes.getStore().getByKey(node);
    if (current != null) {
      agents.get(node).onOsNode(current);
    }
  }

  @Override
  public void close() {
    if (boots != null) {
      boots.close();
    }
    if (osNodes != null) {
      osNodes.close();
    }
    agents.values().forEach(NodeAgent::close);
    executor.shutdownNow();
    feed.close();
    client.close();
  }
}
