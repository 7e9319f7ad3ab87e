package dev.refit.sim;

import dev.refit.sim.FleetSnapshot.Workload;
import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.testing.PodStates;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A snapshot's workloads on the embedded API, kept at their count as their controllers would: every
 * pod starts on the node it ran on; a pod evicted from a ReplicaSet (or ReplicationController) is
 * replaced as soon as it starts terminating, a StatefulSet's once it is gone (under the same name);
 * a replacement goes where {@link Scheduling} places it and turns Ready after the workload's start
 * delay, or stays Pending, and is reported, until a node or pod change lets it in. All state lives
 * on one thread, driven by a pod and a node informer.
 */
final class SimulatedWorkloads implements AutoCloseable {

  /**
   * A pod that fitted nowhere when created; {@code placedOn} is where it went later, if anywhere.
   */
  record Unplaced(String pod, String workload, String reason, String placedOn) {}

  private record Managed(Workload source, Pod template, long startMillis, Set<String> live) {
    boolean statefulSet() {
      return "StatefulSet".equals(source.kind());
    }
  }

  private final KubernetesClient client;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "simulated-workloads");
            thread.setDaemon(true);
            return thread;
          });
  private final Map<String, Managed> byOwnerUid = new ConcurrentHashMap<>();
  private final Map<String, Pod> ours = new HashMap<>();
  private final Map<String, Managed> pending = new LinkedHashMap<>();
  private final Map<String, Unplaced> unplaced = new ConcurrentHashMap<>();
  private final AtomicBoolean placementQueued = new AtomicBoolean();
  private final SharedIndexInformer<Pod> podInformer;
  private final SharedIndexInformer<Node> nodeInformer;

  SimulatedWorkloads(EmbeddedKubernetes api) {
    this.client = api.newClient();
    this.podInformer = client.pods().inAnyNamespace().inform(new PodEvents());
    this.nodeInformer = client.nodes().inform(new NodeEvents());
  }

  /** Creates the budgets, each workload's controller object and its pods, where they ran. */
  void define(List<Workload> workloads, List<PodDisruptionBudget> budgets, double startSeconds) {
    call(
        () -> {
          for (PodDisruptionBudget budget : budgets) {
            client
                .resource(
                    new PodDisruptionBudgetBuilder()
                        .withMetadata(meta(budget).build())
                        .withSpec(budget.getSpec())
                        .build())
                .create();
          }
          for (Workload workload : workloads) {
            OwnerReference owner = createOwner(workload);
            Pod template = template(workload.pods().get(0), owner);
            Managed managed =
                new Managed(
                    workload, template, SimulatedFleet.millis(startSeconds), new LinkedHashSet<>());
            byOwnerUid.put(owner.getUid(), managed);
            for (Pod original : workload.pods()) {
              String ran = original.getSpec().getNodeName();
              boolean known = ran != null && nodeInformer.getStore().getByKey(ran) != null;
              Pod pod = copy(template, original.getMetadata().getName());
              create(managed, pod, known ? ran : place(pod), true);
            }
          }
        });
  }

  /** Pods that fitted nowhere when they were created, by namespace/name. */
  List<Unplaced> unplaced() {
    return List.copyOf(unplaced.values());
  }

  private OwnerReference createOwner(Workload workload) {
    Map<String, String> labels =
        Objects.requireNonNullElse(workload.pods().get(0).getMetadata().getLabels(), Map.of());
    boolean core = "ReplicationController".equals(workload.kind());
    HasMetadata owner =
        Serialization.unmarshal(
            Serialization.asJson(
                Map.of(
                    "apiVersion", core ? "v1" : "apps/v1",
                    "kind", workload.kind(),
                    "metadata", Map.of("name", workload.name(), "namespace", workload.namespace()),
                    "spec",
                        Map.of(
                            "replicas",
                            workload.pods().size(),
                            "selector",
                            core ? labels : Map.of("matchLabels", labels)))));
    HasMetadata created = client.resource(owner).create();
    return new OwnerReferenceBuilder()
        .withApiVersion(created.getApiVersion())
        .withKind(created.getKind())
        .withName(created.getMetadata().getName())
        .withUid(created.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** The pod as its controller creates it: the snapshot's spec, unbound, owned by {@code owner}. */
  private static Pod template(Pod original, OwnerReference owner) {
    return new PodBuilder()
        .withMetadata(meta(original).withOwnerReferences(owner).build())
        .withSpec(
            new PodSpecBuilder(original.getSpec())
                .withNodeName(null)
                .withTerminationGracePeriodSeconds(
                    Math.round(FleetSnapshot.terminationSeconds(original)))
                .build())
        .build();
  }

  private static ObjectMetaBuilder meta(HasMetadata original) {
    return new ObjectMetaBuilder()
        .withName(original.getMetadata().getName())
        .withNamespace(original.getMetadata().getNamespace())
        .withLabels(original.getMetadata().getLabels());
  }

  private static Pod copy(Pod template, String name) {
    Pod pod = new PodBuilder(template).build();
    pod.getMetadata().setName(name);
    return pod;
  }

  private void create(Managed managed, Pod pod, String node, boolean runningNow) {
    String key = key(pod);
    pod.getSpec().setNodeName(node);
    if (node == null) {
      Scheduling.Placement why = Scheduling.place(pod, nodes(), usage());
      pod.setStatus(PodStates.unschedulable(why.reason()));
      pending.put(key, managed);
      unplaced.put(key, new Unplaced(key, managed.source().key(), why.reason(), null));
    } else {
      pod.setStatus(runningNow ? PodStates.running(pod, ready(node)) : PodStates.starting());
    }
    client.pods().resource(pod).create();
    ours.put(key, pod);
    managed.live().add(pod.getMetadata().getName());
    if (node != null && !runningNow) {
      later(managed, pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }
  }

  /** A pod of {@code managed} left (terminating or deleted): its controller makes a new one. */
  private void replace(Managed managed, Pod gone) {
    if (!managed.live().remove(gone.getMetadata().getName())) {
      return;
    }
    String name =
        managed.statefulSet()
            ? gone.getMetadata().getName()
            : managed.source().name() + "-" + suffix();
    Pod pod = copy(managed.template(), name);
    create(managed, pod, place(pod), false);
  }

  /**
   * The node for a new pod, chosen from the informers' caches and confirmed by reading that node
   * (the cache may not show a cordon made a moment ago); null when none fits.
   */
  private String place(Pod pod) {
    Map<String, Scheduling.Requests> used = usage();
    String chosen = Scheduling.place(pod, nodes(), used).node();
    if (chosen == null) {
      return null;
    }
    Node fresh = client.nodes().withName(chosen).get();
    if (fresh != null
        && Scheduling.unfit(pod, fresh, used.getOrDefault(chosen, Scheduling.Requests.NONE))
            .isEmpty()) {
      return chosen;
    }
    return Scheduling.place(pod, client.nodes().list().getItems(), used).node();
  }

  /** Binds Pending pods to nodes that fit now. */
  private void placePending() {
    for (Map.Entry<String, Managed> entry : List.copyOf(pending.entrySet())) {
      Pod pod = ours.get(entry.getKey());
      String node = pod == null ? null : place(pod);
      if (node != null && bind(pod, node)) {
        pending.remove(entry.getKey());
        unplaced.computeIfPresent(
            entry.getKey(), (k, u) -> new Unplaced(u.pod(), u.workload(), u.reason(), node));
        later(entry.getValue(), pod.getMetadata().getNamespace(), pod.getMetadata().getName());
      }
    }
  }

  private boolean bind(Pod pod, String node) {
    Pod current = client.pods().resource(pod).get();
    if (current == null || current.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    Map<String, Object> patch =
        Map.of(
            "metadata", Map.of("resourceVersion", current.getMetadata().getResourceVersion()),
            "spec", Map.of("nodeName", node));
    try {
      Pod bound =
          client
              .pods()
              .resource(current)
              .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
      ours.put(key(bound), bound);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 404) {
        requestPlacement(); // changed under us: judge again from its new state
        return false;
      }
      throw e;
    }
    writeStatus(
        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), p -> PodStates.starting());
    return true;
  }

  private void later(Managed managed, String namespace, String name) {
    executor.schedule(
        () ->
            guarded(
                () ->
                    writeStatus(
                        namespace,
                        name,
                        p -> PodStates.running(p, ready(p.getSpec().getNodeName())))),
        managed.startMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Writes a pod's status guarded by its resourceVersion; never to a terminating pod. */
  private void writeStatus(
      String namespace, String name, java.util.function.Function<Pod, PodStatus> change) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    Map<String, Object> patch =
        Map.of(
            "metadata", Map.of("resourceVersion", pod.getMetadata().getResourceVersion()),
            "status", change.apply(pod));
    try {
      client
          .pods()
          .resource(pod)
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        throw e;
      }
      // evicted or changed in between: the pod is no longer ours to start
    }
  }

  /** What the bound pods ask of each node, counting our own pods the informer has not shown yet. */
  private Map<String, Scheduling.Requests> usage() {
    Map<String, Pod> known = new HashMap<>(ours);
    for (Pod pod : podInformer.getStore().list()) {
      known.put(key(pod), pod);
    }
    ours.forEach(
        (key, pod) -> {
          Pod seen = known.get(key);
          if (pod.getSpec().getNodeName() != null && seen.getSpec().getNodeName() == null) {
            known.put(key, pod);
          }
        });
    return Scheduling.usage(known.values());
  }

  private List<Node> nodes() {
    return nodeInformer.getStore().list();
  }

  private boolean ready(String node) {
    Node seen = node == null ? null : nodeInformer.getStore().getByKey(node);
    return seen != null && Scheduling.isReady(seen);
  }

  private void requestPlacement() {
    if (!pending.isEmpty() && placementQueued.compareAndSet(false, true)) {
      executor.execute(
          () -> {
            placementQueued.set(false);
            guarded(this::placePending);
          });
    }
  }

  private void left(Pod pod, boolean deleted) {
    OwnerReference controller = FleetSnapshot.controller(pod).orElse(null);
    Managed managed = controller == null ? null : byOwnerUid.get(controller.getUid());
    if (managed == null) {
      return;
    }
    executor.execute(
        () ->
            guarded(
                () -> {
                  if (deleted) {
                    ours.remove(key(pod));
                    pending.remove(key(pod));
                  }
                  if (deleted || !managed.statefulSet()) {
                    replace(managed, pod);
                  }
                }));
  }

  private final class PodEvents implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        left(pod, false);
      }
    }

    @Override
    public void onUpdate(Pod before, Pod after) {
      if (after.getMetadata().getDeletionTimestamp() != null
          && before.getMetadata().getDeletionTimestamp() == null) {
        left(after, false);
      }
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
      left(pod, true);
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

  private void guarded(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      System.getLogger(SimulatedWorkloads.class.getName())
          .log(System.Logger.Level.WARNING, "simulated workloads: " + e.getMessage(), e);
    }
  }

  private void call(Runnable work) {
    try {
      executor.submit(work).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("defining the snapshot's workloads failed", e.getCause());
    }
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private static String suffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      suffix.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return suffix.toString();
  }

  @Override
  public void close() {
    podInformer.close();
    nodeInformer.close();
    executor.shutdownNow();
    client.close();
  }
}
