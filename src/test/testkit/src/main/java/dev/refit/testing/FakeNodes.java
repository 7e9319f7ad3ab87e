package dev.refit.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Simulated nodes and their kubelets on the embedded API. Each node is a Node object (Ready, with a
 * boot ID and plausible node info) plus one pod of the {@code kube-system/kube-proxy} DaemonSet.
 * The kubelets remove terminating pods after their (scaled) grace period, reboot on request, and
 * turn the pods bound to a node NotReady while it is down. They never touch {@code
 * spec.unschedulable}, taints or annotations: cordoning belongs to the operator under test.
 *
 * <p>All state changes run on one executor thread, so a reboot, its timers and manual changes never
 * interleave; only the removals of terminated pods run on threads of their own. Public methods
 * return once their immediate effect is written.
 */
public final class FakeNodes implements AutoCloseable {

  private final KubernetesClient client;
  private final HarnessTiming timing;
  private final SerialExecutor executor = new SerialExecutor("fake-kubelets");
  // Removals of terminated pods are independent of each other and of the nodes' state changes:
  // they run beside them, so a wave of drains does not queue behind reboots.
  private final SerialExecutor reaperExecutor = new SerialExecutor("fake-kubelets-reaper", 4);
  private final PodStatusWriter pods;
  private final TerminatingPodReaper reaper;
  private final Map<String, SimulatedNode> nodes = new ConcurrentHashMap<>();
  private DaemonSet daemonSet;

  public FakeNodes(EmbeddedKubernetes api, HarnessTiming timing) {
    this.client = api.newClient();
    this.timing = timing;
    this.pods = new PodStatusWriter(client);
    this.reaper = new TerminatingPodReaper(client, timing, reaperExecutor);
  }

  /** Adds a Ready node with these labels (plus the usual hostname/os/arch ones) and its pods. */
  public Node add(String name, Map<String, String> labels) {
    return executor.call(
        () -> {
          SimulatedNode node = new SimulatedNode(name);
          Node created =
              client
                  .nodes()
                  .resource(NodeObjects.node(name, labels, node.bootId, nodes.size()))
                  .create();
          nodes.put(name, node);
          client.pods().resource(NodeObjects.daemonPod(name, daemonSet())).create();
          return created;
        });
  }

  public Node add(String name) {
    return add(name, Map.of());
  }

  /** Deletes the node and every pod bound to it, as pod garbage collection would. */
  public void remove(String name) {
    executor.call(
        () -> {
          SimulatedNode node = nodes.remove(name);
          if (node != null) {
            node.cancelPending();
          }
          // as in Kubernetes: the Node goes, then the pod garbage collector removes its pods
          client.nodes().withName(name).delete();
          client.pods().inAnyNamespace().withField("spec.nodeName", name).delete();
          return null;
        });
  }

  /**
   * Reboots the node, as a node agent would: at once the node goes Ready=Unknown and its pods
   * NotReady; after {@link HarnessTiming#rebootDownMillis} it reports a new boot ID (Ready=False
   * while the kubelet starts); after a further {@link HarnessTiming#rebootReadyMillis} it is Ready
   * with Ready pods again. A reboot restarts any reboot in progress.
   *
   * @return false if the node ignored the request ({@link NodeFault#NEVER_REBOOT})
   */
  public boolean reboot(String name) {
    return executor.call(
        () -> {
          SimulatedNode node = node(name);
          if (node.faults.contains(NodeFault.NEVER_REBOOT)) {
            return false;
          }
          node.cancelPending();
          publish(node, "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.");
          node.later(executor, timing.rebootDownMillis(), () -> booted(node));
          return true;
        });
  }

  private void booted(SimulatedNode node) {
    node.reboot();
    boolean broken =
        node.faults.contains(NodeFault.NEVER_READY)
            || node.brokenAfterBoot != null && node.brokenAfterBoot.getAsBoolean();
    publish(
        node,
        "False",
        "KubeletNotReady",
        broken ? "container runtime is down" : "container runtime status check may not have run");
    if (!broken) {
      node.later(
          executor,
          timing.rebootReadyMillis(),
          () -> publish(node, "True", "KubeletReady", "kubelet is posting ready status"));
    }
  }

  /** Turns the node Ready or NotReady now, cancelling a reboot in progress; its pods follow. */
  public void setReady(String name, boolean ready) {
    executor.call(
        () -> {
          SimulatedNode node = node(name);
          node.cancelPending();
          if (ready) {
            publish(node, "True", "KubeletReady", "kubelet is posting ready status");
          } else {
            publish(node, "False", "KubeletNotReady", "PLEG is not healthy");
          }
          return null;
        });
  }

  /** Makes the node misbehave from now on. */
  public void inject(String name, NodeFault... faults) {
    executor.call(() -> node(name).faults.addAll(List.of(faults)));
  }

  /**
   * From now on, after each boot the node turns Ready only if {@code broken} says no then: a host
   * whose kubelet fails on one OS and works on another (a bad update a rollback undoes).
   */
  public void brokenAfterBootWhen(String name, java.util.function.BooleanSupplier broken) {
    executor.call(
        () -> {
          node(name).brokenAfterBoot = broken;
          return null;
        });
  }

  public void clearFaults(String name) {
    executor.call(
        () -> {
          node(name).faults.clear();
          return null;
        });
  }

  /** The boot ID the node currently reports. */
  public String bootId(String name) {
    // Read directly, not through the executor: a thousand agents read it on every host check.
    return node(name).bootId;
  }

  /** Names of the simulated nodes, sorted. */
  public Set<String> names() {
    return new TreeSet<>(nodes.keySet());
  }

  private SimulatedNode node(String name) {
    SimulatedNode node = nodes.get(name);
    if (node == null) {
      throw new IllegalArgumentException("no simulated node " + name);
    }
    return node;
  }

  /** Writes the node's status (a merge patch of status only) and lets its pods follow. */
  private void publish(SimulatedNode node, String ready, String reason, String message) {
    node.ready = ready;
    Map<String, Object> patch =
        Map.of(
            "status",
            Map.of(
                "conditions", NodeObjects.conditions(ready, reason, message),
                "nodeInfo", Map.of("bootID", node.bootId)));
    Node target = new NodeBuilder().withNewMetadata().withName(node.name).endMetadata().build();
    client
        .nodes()
        .resource(target)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
    boolean podsReady = "True".equals(ready);
    for (Pod pod :
        client.pods().inAnyNamespace().withField("spec.nodeName", node.name).list().getItems()) {
      // A node coming back restarts its running pods; pods still starting are their owner's.
      boolean running = "Running".equals(pod.getStatus().getPhase());
      if (!PdbOracle.isTerminating(pod) && running && PodStates.isReady(pod) != podsReady) {
        pods.update(
            pod.getMetadata().getNamespace(),
            pod.getMetadata().getName(),
            current -> PodStates.withReady(current.getStatus(), podsReady));
      }
    }
  }

  private DaemonSet daemonSet() {
    if (daemonSet == null) {
      DaemonSet existing =
          client
              .apps()
              .daemonSets()
              .inNamespace(NodeObjects.SYSTEM_NAMESPACE)
              .withName(NodeObjects.DAEMON_SET)
              .get();
      daemonSet =
          existing != null
              ? existing
              : client.apps().daemonSets().resource(NodeObjects.daemonSet()).create();
    }
    return daemonSet;
  }

  /** Stops the kubelets: no more reboots, readiness changes or removals of terminating pods. */
  @Override
  public void close() {
    reaper.close();
    reaperExecutor.close();
    executor.close();
    client.close();
  }
}
