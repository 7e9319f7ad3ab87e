package dev.refit.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Replicated applications on the embedded API, kept at their replica count as a ReplicaSet
 * controller and the scheduler would: when a workload pod starts terminating or disappears, a
 * replacement is created at once on a Ready, schedulable, matching node (least loaded first, then
 * by name) and turns Ready after the workload's start delay. When no node fits, the replacement
 * stays Pending and unbound until a node change lets it in. Everything is event-driven (a pod and a
 * node informer); all state lives on one executor thread.
 */
public final class FakeWorkloads implements AutoCloseable {

  private final KubernetesClient client;
  private final SerialExecutor executor = new SerialExecutor("fake-workloads");
  private final PodStatusWriter statuses;
  private final Map<String, Managed> byOwnerUid = new ConcurrentHashMap<>();
  private final AtomicBoolean placementQueued = new AtomicBoolean();
  private final SharedIndexInformer<Pod> podInformer;
  private final SharedIndexInformer<Node> nodeInformer;

  /** A defined workload; its pod map is only touched on the executor thread. */
  private record Managed(
      Workload spec, ReplicaSet owner, PodDisruptionBudget budget, Map<String, String> nodeByPod) {

    boolean is(String namespace, String name) {
      return spec.namespace().equals(namespace) && spec.name().equals(name);
    }
  }

  public FakeWorkloads(EmbeddedKubernetes api) {
    this.client = api.newClient();
    this.statuses = new PodStatusWriter(client);
    this.podInformer = client.pods().inAnyNamespace().inform(new PodEvents());
    this.nodeInformer = client.nodes().inform(new NodeEvents());
  }

  /**
   * Creates the workload's ReplicaSet, its budget (if any) and its pods, spread round-robin over
   * the fitting nodes by name, Running and Ready. Pods that fit nowhere stay Pending.
   */
  public void define(Workload workload) {
    executor.call(
        () -> {
          ReplicaSet owner = client.resource(WorkloadObjects.replicaSet(workload)).create();
          PodDisruptionBudget budget =
              workload.budget() == null
                  ? null
                  : client.resource(WorkloadObjects.budget(workload)).create();
          Managed managed = new Managed(workload, owner, budget, new LinkedHashMap<>());
          byOwnerUid.put(owner.getMetadata().getUid(), managed);
          List<Node> fitting =
              Placement.fitting(client.nodes().list().getItems(), workload.nodeSelector());
          for (int i = 0; i < workload.replicas(); i++) {
            String node =
                fitting.isEmpty() ? null : fitting.get(i % fitting.size()).getMetadata().getName();
            createPod(managed, node, true);
          }
          return null;
        });
  }

  /** Deletes the workload's budget, pods and ReplicaSet, and stops replacing its pods. */
  public void remove(String namespace, String name) {
    executor.call(
        () -> {
          for (Managed managed : List.copyOf(byOwnerUid.values())) {
            if (managed.is(namespace, name)) {
              byOwnerUid.remove(managed.owner().getMetadata().getUid());
              if (managed.budget() != null) {
                client.resource(managed.budget()).delete();
              }
              ownedPods(managed).forEach(p -> client.resource(p).delete());
              client.resource(managed.owner()).delete();
            }
          }
          return null;
        });
  }

  /** The workload's pods as the API has them now, terminating ones included. */
  public List<Pod> pods(String namespace, String name) {
    return byOwnerUid.values().stream()
        .filter(m -> m.is(namespace, name))
        .findFirst()
        .map(this::ownedPods)
        .orElse(List.of());
  }

  private List<Pod> ownedPods(Managed managed) {
    String uid = managed.owner().getMetadata().getUid();
    return client
        .pods()
        .inNamespace(managed.spec().namespace())
        .withLabels(managed.spec().podLabels())
        .list()
        .getItems()
        .stream()
        .filter(p -> uid.equals(controllerUid(p)))
        .toList();
  }

  private void createPod(Managed managed, String node, boolean startNow) {
    Pod pod = WorkloadObjects.pod(managed.spec(), managed.owner(), node, null);
    if (node == null) {
      pod.setStatus(
          PodStates.unschedulable(
              "0/"
                  + nodes().size()
                  + " nodes are available: none is Ready, schedulable and matching."));
    } else {
      pod.setStatus(startNow ? PodStates.running(pod, true) : PodStates.starting());
    }
    createWithFreshName(managed, pod, node);
    managed.nodeByPod().put(pod.getMetadata().getName(), node == null ? "" : node);
    if (node != null && !startNow) {
      scheduleStart(managed, pod.getMetadata().getName());
    }
  }

  /**
   * Creates {@code pod}; when its generated name is taken (five random characters collide about
   * once per few thousand pods), draws another, as the ReplicaSet controller does.
   */
  private void createWithFreshName(Managed managed, Pod pod, String node) {
    for (int attempt = 1; ; attempt++) {
      try {
        client.pods().resource(pod).create();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
        Pod fresh = WorkloadObjects.pod(managed.spec(), managed.owner(), node, null);
        pod.getMetadata().setName(fresh.getMetadata().getName());
      }
    }
  }

  /** A pod of {@code managed} left (terminating or deleted): the controller makes a new one. */
  private void replace(Managed managed, String podName) {
    if (managed.nodeByPod().remove(podName) == null || !byOwnerUid.containsValue(managed)) {
      return;
    }
    createPod(managed, place(managed.spec().nodeSelector(), load()), false);
  }

  /**
   * The node for a new pod: chosen from the informer's cache, confirmed by reading that one node
   * (the cache may not show a cordon made a moment ago); if it no longer fits, chosen again from a
   * full list. None when the cache shows no fitting node: a node that becomes fit is a node event,
   * which asks for placement again.
   */
  private String place(Map<String, String> nodeSelector, Map<String, Integer> load) {
    String cached = Placement.choose(nodes(), nodeSelector, load).orElse(null);
    if (cached == null) {
      return null;
    }
    Node fresh = client.nodes().withName(cached).get();
    if (fresh != null && Placement.fits(fresh, nodeSelector)) {
      return cached;
    }
    return Placement.choose(client.nodes().list().getItems(), nodeSelector, load).orElse(null);
  }

  /** Binds Pending pods to nodes that fit now. */
  private void placePending() {
    Map<String, Integer> load = null;
    for (Managed managed : byOwnerUid.values()) {
      for (Map.Entry<String, String> pod : new ArrayList<>(managed.nodeByPod().entrySet())) {
        if (!pod.getValue().isEmpty()) {
          continue;
        }
        if (load == null) {
          load = load();
        }
        String node = place(managed.spec().nodeSelector(), load);
        if (node != null && bind(managed, pod.getKey(), node)) {
          load.merge(node, 1, Integer::sum);
        }
      }
    }
  }

  private boolean bind(Managed managed, String podName, String node) {
    String namespace = managed.spec().namespace();
    Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
    if (pod == null || PdbOracle.isTerminating(pod)) {
      return false;
    }
    Map<String, Object> patch =
        Map.of(
            "metadata", Map.of("resourceVersion", pod.getMetadata().getResourceVersion()),
            "spec", Map.of("nodeName", node));
    try {
      client
          .pods()
          .resource(pod)
          .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 404) {
        requestPlacement(); // changed under us: judge again from its new state
        return false;
      }
      throw e;
    }
    statuses.update(namespace, podName, current -> PodStates.starting());
    managed.nodeByPod().put(podName, node);
    scheduleStart(managed, podName);
    return true;
  }

  private void scheduleStart(Managed managed, String podName) {
    executor.schedule(() -> start(managed, podName), managed.spec().startDelayMillis());
  }

  private void start(Managed managed, String podName) {
    String node = managed.nodeByPod().get(podName);
    if (node == null || node.isEmpty()) {
      return;
    }
    // A pod whose node went down meanwhile runs but is not Ready; the node brings it up later.
    boolean nodeReady = Placement.isReady(nodeInformer.getStore().getByKey(node));
    statuses.update(managed.spec().namespace(), podName, p -> PodStates.running(p, nodeReady));
  }

  /** Pods per node, counting our own pods the informer may not have seen yet. */
  private Map<String, Integer> load() {
    Map<String, String> own = new HashMap<>();
    for (Managed managed : byOwnerUid.values()) {
      managed
          .nodeByPod()
          .forEach((pod, node) -> own.put(managed.spec().namespace() + "/" + pod, node));
    }
    return Placement.podsPerNode(podInformer.getStore().list(), own);
  }

  /** The nodes as the scheduler sees them: from its informer's cache, as kube-scheduler does. */
  private List<Node> nodes() {
    return nodeInformer.getStore().list();
  }

  private void requestPlacement() {
    if (placementQueued.compareAndSet(false, true)) {
      executor.execute(
          () -> {
            placementQueued.set(false);
            placePending();
          });
    }
  }

  private void podLeft(Pod pod) {
    Managed managed = byOwnerUid.get(String.valueOf(controllerUid(pod)));
    if (managed != null) {
      String name = pod.getMetadata().getName();
      executor.execute(() -> replace(managed, name));
    }
  }

  private static String controllerUid(Pod pod) {
    OwnerReference controller = PdbOracle.controllerOf(pod);
    return controller == null ? null : controller.getUid();
  }

  private final class PodEvents implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      if (PdbOracle.isTerminating(pod)) {
        podLeft(pod);
      }
    }

    @Override
    public void onUpdate(Pod before, Pod after) {
      if (PdbOracle.isTerminating(after) && !PdbOracle.isTerminating(before)) {
        podLeft(after);
      }
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
      podLeft(pod);
      requestPlacement(); // a deleted pod frees room on its node
    }
  }

  /** Any node change may let a Pending pod in. */
  private final class NodeEvents implements ResourceEventHandler<Node> {
    @Override
    public void onAdd(Node node) {
      requestPlacement();
    }

    @Override
    public void onUpdate(Node before, Node after) {
      requestPlacement();
    }

    @Override
    public void onDelete(Node node, boolean finalStateUnknown) {}
  }

  /** Stops replacing pods; pods and budgets stay in the API. */
  @Override
  public void close() {
    podInformer.close();
    nodeInformer.close();
    executor.close();
    client.close();
  }
}
