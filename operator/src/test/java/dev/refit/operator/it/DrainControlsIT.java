package dev.refit.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Condition;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.Selector;
import dev.refit.operator.testing.FakeAgents;
import dev.refit.operator.testing.Fixtures;
import dev.refit.operator.testing.Fleet;
import dev.refit.testing.EvictionDecision;
import dev.refit.testing.PodStates;
import dev.refit.testing.Workload;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The drain's knobs on a small fleet: which pods it leaves running (DaemonSet pods, mirror pods,
 * drain.podSelector), what it does with emptyDir pods and with pods that opted out of disruption
 * ({@code refit.dev/do-not-disrupt}), and the grace period it asks for.
 */
class DrainControlsIT {

  private static final Map<String, String> WORKERS = Map.of("pool", "workers");
  private static final String KUBE_SYSTEM = "kube-system";
  private final Fleet fleet = new Fleet();

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void daemonSetMirrorAndSelectedPodsAreNeverEvictedAndNeverBlockTheDrain() {
    fleet.withNodes("worker", 3, WORKERS);
    // Each kind of pod the drain must leave is guarded by a budget that refuses every eviction:
    // had the drain tried one, it would be blocked for good and the rollout would never finish.
    fleet.workloads.define(Workload.named("web").inNamespace("shop").withReplicas(3));
    fleet.workloads.define(
        Workload.named("agent")
            .inNamespace("shop")
            .withPodLabels(Map.of("app", "agent", "drain", "keep"))
            .withReplicas(3)
            .withBudget(Workload.Budget.minAvailable(3)));
    Pod mirror = mirrorPod("etcd-worker-1", "worker-1");
    guardEveryPod(KUBE_SYSTEM, "etcd", Map.of("component", "etcd"), 1);
    guardEveryPod(KUBE_SYSTEM, "kube-proxy", Map.of("k8s-app", "kube-proxy"), 3);
    List<String> agents = podNames(fleet.workloads.pods("shop", "agent"));
    List<String> daemons = podNames(daemonPods());
    assertThat(daemons).hasSize(3);

    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().getDrain().setPodSelector(Selector.matching(Map.of("drain", "keep")));
    fleet.apply(policy);

    fleet.awaitRolledOut("workers", Duration.ofSeconds(30));
    assertThat(fleet.api.evictions())
        .as("only the web pods were evicted")
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.pod()).startsWith("web-"));
    assertThat(podNames(fleet.workloads.pods("shop", "agent"))).isEqualTo(agents);
    assertThat(podNames(daemonPods())).isEqualTo(daemons);
    Pod mirrorNow = fleet.client().pods().inNamespace(KUBE_SYSTEM).withName("etcd-worker-1").get();
    assertThat(mirrorNow.getMetadata().getUid()).isEqualTo(mirror.getMetadata().getUid());
    assertThat(mirrorNow.getMetadata().getDeletionTimestamp()).isNull();
    assertThat(fleet.api.pdbViolations()).isEmpty();
  }

  @Test
  void emptyDirPodsBlockTheDrainUnlessDeleteEmptyDirDataAcceptsTheirLoss() {
    fleet.withNodes("keep", 1, Map.of("pool", "keep")).withNodes("lose", 1, Map.of("pool", "lose"));
    for (String pool : List.of("keep", "lose")) {
      fleet.workloads.define(
          Workload.named("cache-" + pool)
              .inNamespace("shop")
              .withNodeSelector(Map.of("pool", pool))
              .withEmptyDir(true));
    }
    fleet.startOperator();
    fleet.apply(Fixtures.policy("keep", Map.of("pool", "keep"), "41.20250101.3.0"));
    OSUpdatePolicy lose = Fixtures.policy("lose", Map.of("pool", "lose"), "41.20250101.3.0");
    lose.getSpec().getDrain().setDeleteEmptyDirData(true);
    fleet.apply(lose);

    fleet.awaitRolledOut("lose", Duration.ofSeconds(30));
    assertThat(fleet.api.evictions())
        .filteredOn(EvictionDecision::allowed)
        .anySatisfy(e -> assertThat(e.pod()).startsWith("cache-lose-"));
    Condition blocked =
        fleet.awaitCondition("keep", "Progressing", "DrainBlocked", Duration.ofSeconds(30));
    assertThat(blocked.getMessage())
        .startsWith("drain of keep-1 blocked by pod shop/cache-keep-")
        .contains("which uses emptyDir (set drain.deleteEmptyDirData to evict it)");
    assertThat(fleet.api.evictions()).noneSatisfy(e -> assertThat(e.pod()).startsWith("cache-k"));
    assertThat(fleet.workloads.pods("shop", "cache-keep"))
        .singleElement()
        .satisfies(p -> assertThat(p.getMetadata().getDeletionTimestamp()).isNull());
    assertThat(fleet.agents.running("keep-1")).isEqualTo(FakeAgents.ORIGINAL);
  }

  @Test
  void aPodThatOptedOutOfDisruptionHoldsTheDrainNamedUntilItsOptOutIsLifted() {
    String job = oneNodeRunningAJob();
    annotate(job, "true");
    assertThat(rollOutUntilTheDrainIsBlocked())
        .startsWith(
            "drain of batch-1 blocked by pod shop/"
                + job
                + ", which opted out of disruption (refit.dev/do-not-disrupt: true)");
    fleet.assertForAtLeast(
        Duration.ofSeconds(2),
        "no eviction of the pod while it opts out",
        () -> fleet.api.evictions().isEmpty());

    annotate(job, null);

    fleet.awaitRolledOut("workers", Duration.ofSeconds(30));
    assertThat(fleet.api.evictions())
        .singleElement()
        .satisfies(e -> assertThat(e.pod()).isEqualTo(job));
  }

  @Test
  void anOptOutForATimeEndsByItselfAndTheDrainGoesOn() {
    String job = oneNodeRunningAJob();
    Pod pod = fleet.client().pods().inNamespace("shop").withName(job).get();
    Instant started = Instant.parse(pod.getStatus().getStartTime());
    // held until four seconds from now, counted from the pod's start as the annotation says
    long seconds = Duration.between(started, Instant.now()).toSeconds() + 4;
    annotate(job, seconds + "s");
    Instant until = started.plusSeconds(seconds);
    assertThat(rollOutUntilTheDrainIsBlocked())
        .contains(
            "which opted out of disruption (refit.dev/do-not-disrupt: "
                + seconds
                + "s, until "
                + until
                + ")");

    fleet.awaitRolledOut("workers", Duration.ofSeconds(30));
    assertThat(fleet.api.evictions())
        .singleElement()
        .satisfies(e -> assertThat(e.time()).isAfterOrEqualTo(until));
  }

  @Test
  void theDrainTimeoutStillAppliesToAPodThatOptedOut() {
    annotate(oneNodeRunningAJob(), "true");
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().getDrain().setTimeoutSeconds(2);
    policy.getSpec().getDrain().setOnTimeout(dev.refit.api.OnTimeout.Skip);
    fleet.apply(policy);

    fleet.awaitUntil(
        Duration.ofSeconds(30), () -> "Complete".equals(fleet.reason("workers", "Progressing")));
    assertThat(fleet.osNode("batch-1").getSpec().getState())
        .isEqualTo(dev.refit.api.NodeState.Skipped);
    assertThat(fleet.condition("workers", "Degraded").getMessage())
        .contains("which opted out of disruption (refit.dev/do-not-disrupt: true)");
    assertThat(fleet.api.evictions()).isEmpty();
    assertThat(fleet.invariants.cordonedByRefitNow()).isEmpty();
  }

  @Test
  void evictionsWaitForLoadBalancersToDropTheLabelledNode() {
    fleet.withNodes("lb", 1, WORKERS);
    fleet.workloads.define(Workload.named("web").inNamespace("shop"));
    fleet.startOperator();
    OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
    policy.getSpec().getDrain().setLoadBalancerWaitSeconds(3);
    fleet.apply(policy);

    // the OSNode records the drain first, then the Node gets its cordon and the label
    fleet.awaitUntil(
        Duration.ofSeconds(30),
        () ->
            fleet.osNode("lb-1") != null
                && fleet.osNode("lb-1").getSpec().getState() == dev.refit.api.NodeState.Draining
                && "true"
                    .equals(
                        fleet
                            .client()
                            .nodes()
                            .withName("lb-1")
                            .get()
                            .getMetadata()
                            .getLabels()
                            .get("node.kubernetes.io/exclude-from-external-load-balancers")));
    Instant draining = Instant.parse(fleet.osNode("lb-1").getSpec().getStateSince());

    fleet.awaitRolledOut("workers", Duration.ofSeconds(30));
    assertThat(fleet.api.evictions())
        .singleElement()
        .satisfies(e -> assertThat(e.time()).isAfterOrEqualTo(draining.plusSeconds(3)));
  }

  /** Starts the operator and the rollout, and returns the message once the drain is blocked. */
  private String rollOutUntilTheDrainIsBlocked() {
    fleet.startOperator();
    fleet.apply(Fixtures.policy("workers", WORKERS, "41.20250101.3.0"));
    return fleet
        .awaitCondition("workers", "Progressing", "DrainBlocked", Duration.ofSeconds(30))
        .getMessage();
  }

  /** One node, batch-1, running one pod of the workload shop/job; returns the pod's name. */
  private String oneNodeRunningAJob() {
    fleet.withNodes("batch", 1, WORKERS);
    fleet.workloads.define(Workload.named("job").inNamespace("shop"));
    return podNames(fleet.workloads.pods("shop", "job")).get(0);
  }

  /** Sets (or, with null, removes) the pod's opt-out, as its owner would. */
  private void annotate(String pod, String value) {
    fleet
        .client()
        .pods()
        .inNamespace("shop")
        .withName(pod)
        .edit(
            p -> {
              Map<String, String> annotations =
                  p.getMetadata().getAnnotations() == null
                      ? new java.util.HashMap<>()
                      : new java.util.HashMap<>(p.getMetadata().getAnnotations());
              if (value == null) {
                annotations.remove("refit.dev/do-not-disrupt");
              } else {
                annotations.put("refit.dev/do-not-disrupt", value);
              }
              p.getMetadata().setAnnotations(annotations);
              return p;
            });
  }

  @Test
  void evictionsAskForTheConfiguredGracePeriodInsteadOfThePodsOwn() {
    fleet.withNodes("worker", 2, WORKERS);
    fleet.workloads.define(
        Workload.named("web").inNamespace("shop").withReplicas(2).withTerminationGraceSeconds(30));
    Map<String, Long> graceAsked = new ConcurrentHashMap<>();
    try (Watch watch = fleet.client().pods().inNamespace("shop").watch(graceRecorder(graceAsked))) {
      fleet.startOperator();
      OSUpdatePolicy policy = Fixtures.policy("workers", WORKERS, "41.20250101.3.0");
      policy.getSpec().getDrain().setGracePeriodSeconds(3);
      fleet.apply(policy);

      fleet.awaitRolledOut("workers", Duration.ofSeconds(30));
    }
    assertThat(graceAsked).as("grace period of each evicted pod").isNotEmpty();
    assertThat(graceAsked.values()).containsOnly(3L);
  }

  /** Records the grace period of each pod as it starts terminating. */
  private static Watcher<Pod> graceRecorder(Map<String, Long> graceAsked) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
        if (pod.getMetadata().getDeletionTimestamp() != null && grace != null) {
          graceAsked.putIfAbsent(pod.getMetadata().getName(), grace);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  /** A static pod's mirror, as the kubelet publishes it: Running, owned by nothing it can evict. */
  private Pod mirrorPod(String name, String node) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(KUBE_SYSTEM)
            .withLabels(Map.of("component", "etcd"))
            .withAnnotations(Map.of("kubernetes.io/config.mirror", "5f1c2c9e0e6d"))
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .addNewContainer()
            .withName("etcd")
            .withImage("registry.k8s.io/etcd:3.5.15-0")
            .endContainer()
            .endSpec()
            .build();
    pod.setStatus(PodStates.running(pod, true));
    return fleet.client().resource(pod).create();
  }

  /** A budget that lets none of the pods it covers be evicted. */
  private void guardEveryPod(String namespace, String name, Map<String, String> labels, int pods) {
    fleet
        .client()
        .resource(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withMinAvailable(new IntOrString(pods))
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .endSpec()
                .build())
        .create();
  }

  private List<Pod> daemonPods() {
    return fleet
        .client()
        .pods()
        .inNamespace(KUBE_SYSTEM)
        .withLabel("k8s-app", "kube-proxy")
        .list()
        .getItems();
  }

  private static List<String> podNames(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).sorted().toList();
  }
}
