package dev.refit.testing.bench;

import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * How the embedded API holds up at fleet scale; a program, not a test (the suite never runs it).
 * For each fleet size it starts a fresh API with the informers a simulation keeps open (Nodes,
 * OSNodes, pods in all namespaces), creates per node a Node, an OSNode, a DaemonSet pod and four
 * workload pods (workloads of 20 replicas, each with a budget), then times the requests the
 * simulator and the operator make most. Server and clients share the JVM, as in the simulator.
 *
 * <pre>
 * java -cp CLASSPATH dev.refit.testing.bench.ApiScaleBenchmark 1000 5000
 * </pre>
 *
 * <p>With {@code -Dbench.perObjectWatches=true} it also opens one OSNode watch per node (what a
 * fleet of agents would do without a shared informer) and times patches with them open.
 */
public final class ApiScaleBenchmark {

  private static final int THREADS = 4;
  private static final int PODS_PER_NODE = 4;
  private static final int REPLICAS = 20;
  private static final int NAMESPACES = 10;
  private static final String OSNODE_API = "refit.dev/v1alpha1";

  /** Phases that would run for minutes on a slow store stop after this long. */
  private static final long PHASE_NANOS = TimeUnit.SECONDS.toNanos(20);

  private final int nodes;
  private final EmbeddedKubernetes api;
  private final KubernetesClient client;
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  private final Map<Long, Long> osnodeEvents = new ConcurrentHashMap<>();
  private long serverThread = -1;

  private ApiScaleBenchmark(int nodes) {
    this.nodes = nodes;
    this.api = EmbeddedKubernetes.start();
    this.client = api.newClient("bench");
  }

  public static void main(String[] args) throws Exception {
    List<Integer> sizes =
        args.length == 0
            ? List.of(1000, 5000)
            : Arrays.stream(args).map(Integer::parseInt).toList();
    for (int size : sizes) {
      ApiScaleBenchmark bench = new ApiScaleBenchmark(size);
      try {
        bench.run();
      } finally {
        bench.close();
      }
    }
    System.exit(0);
  }

  private void run() throws Exception {
    System.out.printf("%n== %,d nodes ==%n", nodes);
    List<SharedIndexInformer<?>> informers = new ArrayList<>();
    informers.add(client.nodes().inform(new Ignore<>()));
    informers.add(client.pods().inAnyNamespace().inform(new Ignore<>()));
    informers.add(
        client.genericKubernetesResources(OSNODE_API, "OSNode").inform(new OSNodeEvents()));

    createFleet();
    getByName();
    patchOsNodeStatus();
    watchDelivery();
    listPodsByNode();
    evict();
    openPodWatchByNode();
    if (Boolean.getBoolean("bench.perObjectWatches")) {
      perObjectWatches();
    }
    informers.forEach(SharedIndexInformer::close);
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    System.out.printf(
        "heap used after GC: %,d MiB; live threads: %d%n",
        (runtime.totalMemory() - runtime.freeMemory()) >> 20, Thread.activeCount());
  }

  private void createFleet() throws Exception {
    int workloads = nodes * PODS_PER_NODE / REPLICAS;
    for (int w = 0; w < workloads; w++) {
      client
          .resource(
              new PodDisruptionBudgetBuilder()
                  .withNewMetadata()
                  .withName("w-" + w)
                  .withNamespace(namespace(w))
                  .endMetadata()
                  .withNewSpec()
                  .withMinAvailable(new IntOrString(REPLICAS - 1))
                  .withNewSelector()
                  .withMatchLabels(Map.of("app", "w-" + w))
                  .endSelector()
                  .endSpec()
                  .build())
          .create();
    }
    AtomicLong lastTenth = new AtomicLong();
    int tenthFrom = nodes - nodes / 10;
    long start = System.nanoTime();
    long cpu0 = serverCpu(); // 0: the thread is found below, so this counts from its start
    parallel(
        nodes,
        i -> {
          long t0 = System.nanoTime();
          String name = nodeName(i);
          client.nodes().resource(node(name, i)).create();
          client.genericKubernetesResources(OSNODE_API, "OSNode").resource(osnode(name)).create();
          client
              .pods()
              .resource(pod("kube-system", "kube-proxy-" + name, "kube-proxy", name))
              .create();
          for (int p = 0; p < PODS_PER_NODE; p++) {
            int w = (i * PODS_PER_NODE + p) / REPLICAS;
            client
                .pods()
                .resource(pod(namespace(w), "w-" + w + "-" + i + "-" + p, "w-" + w, name))
                .create();
          }
          if (i >= tenthFrom) {
            lastTenth.addAndGet(System.nanoTime() - t0);
          }
          if (i == 50) {
            findServerThread();
          }
        },
        Long.MAX_VALUE);
    double seconds = (System.nanoTime() - start) / 1e9;
    int objects = nodes * (3 + PODS_PER_NODE);
    double lastRate = (nodes / 10) * (3 + PODS_PER_NODE) * THREADS / (lastTenth.get() / 1e9);
    System.out.printf(
        "create: %,d objects in %.1f s = %,.0f/s overall, %,.0f/s over the last 10%%;"
            + " server CPU %.2f ms per create%n",
        objects + workloads,
        seconds,
        objects / seconds,
        lastRate,
        (serverCpu() - cpu0) / 1e6 / (objects + workloads));
  }

  private void getByName() throws Exception {
    Random random = new Random(1);
    int[] picks = random.ints(20_000, 0, nodes).toArray();
    long start = System.nanoTime();
    long cpu0 = serverCpu();
    int done =
        parallel(
            picks.length,
            i -> {
              String name = nodeName(picks[i]);
              switch (i % 3) {
                case 0 -> client.nodes().withName(name).get();
                case 1 ->
                    client.genericKubernetesResources(OSNODE_API, "OSNode").withName(name).get();
                default ->
                    client.pods().inNamespace("kube-system").withName("kube-proxy-" + name).get();
              }
            },
            PHASE_NANOS);
    report("GET by name", done, start, cpu0);
  }

  private void patchOsNodeStatus() throws Exception {
    Random random = new Random(2);
    int[] picks = random.ints(20_000, 0, nodes).toArray();
    AtomicLong sequence = new AtomicLong();
    Map<Long, long[]> patches = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    long cpu0 = serverCpu();
    int done =
        parallel(
            picks.length,
            i -> {
              long seq = sequence.incrementAndGet();
              long sent = System.nanoTime();
              patchStatus(nodeName(picks[i]), seq);
              patches.put(seq, new long[] {sent, System.nanoTime()});
            },
            PHASE_NANOS);
    report("OSNode status merge patch (4 threads)", done, start, cpu0);
    reportDelivery("watch delivery under that load", patches);
  }

  /** One writer, paced, so the latency is the API's rather than the queue's. */
  private void watchDelivery() throws Exception {
    Map<Long, long[]> patches = new ConcurrentHashMap<>();
    long base = 1_000_000_000L;
    long deadline = System.nanoTime() + PHASE_NANOS;
    for (int i = 0; i < 300 && System.nanoTime() < deadline; i++) {
      long sent = System.nanoTime();
      patchStatus(nodeName(i * 7919 % nodes), base + i);
      patches.put(base + i, new long[] {sent, System.nanoTime()});
      Thread.sleep(10);
    }
    reportDelivery("watch delivery, one paced writer", patches);
  }

  private void patchStatus(String name, long seq) {
    Map<String, Object> status =
        Map.of(
            "status",
            Map.of(
                "observedGeneration",
                seq,
                "bootId",
                "boot-" + seq,
                "booted",
                Map.of("version", "42." + (seq % 7), "checksum", "c" + seq),
                "conditions",
                List.of(
                    Map.of(
                        "type", "Ready",
                        "status", "True",
                        "reason", "AgentReady",
                        "lastTransitionTime", "2026-11-26T10:00:00Z"))));
    client
        .genericKubernetesResources(OSNODE_API, "OSNode")
        .resource(osnodeRef(name))
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(status));
  }

  /**
   * Latency of the informer events, from the patch's response (an event that beats the response
   * counts 0) and from its request.
   */
  private void reportDelivery(String what, Map<Long, long[]> patches) throws InterruptedException {
    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < waitUntil && !osnodeEvents.keySet().containsAll(patches.keySet())) {
      Thread.sleep(20);
    }
    List<Long> fromResponse = new ArrayList<>();
    List<Long> fromRequest = new ArrayList<>();
    int missing = 0;
    for (Map.Entry<Long, long[]> patch : patches.entrySet()) {
      Long arrived = osnodeEvents.get(patch.getKey());
      if (arrived == null) {
        missing++;
      } else {
        fromRequest.add(arrived - patch.getValue()[0]);
        fromResponse.add(Math.max(0, arrived - patch.getValue()[1]));
      }
    }
    System.out.printf(
        "%s: patch response -> informer event %s; patch request -> event %s%s%n",
        what,
        percentiles(fromResponse),
        percentiles(fromRequest),
        missing == 0 ? "" : "; " + missing + " never arrived");
  }

  private void listPodsByNode() {
    List<Long> latencies = new ArrayList<>();
    long deadline = System.nanoTime() + PHASE_NANOS;
    for (int i = 0; i < 200 && System.nanoTime() < deadline; i++) {
      long t0 = System.nanoTime();
      int found =
          client
              .pods()
              .inAnyNamespace()
              .withField("spec.nodeName", nodeName(i * 31 % nodes))
              .list()
              .getItems()
              .size();
      latencies.add(System.nanoTime() - t0);
      check(found == 1 + PODS_PER_NODE, "pods on a node: " + found);
    }
    System.out.printf("pod list by spec.nodeName: %s%n", percentiles(latencies));
  }

  private void evict() {
    List<Long> latencies = new ArrayList<>();
    int workloads = nodes * PODS_PER_NODE / REPLICAS;
    long deadline = System.nanoTime() + PHASE_NANOS;
    for (int w = 0; w < Math.min(200, workloads) && System.nanoTime() < deadline; w++) {
      int node = w * REPLICAS / PODS_PER_NODE;
      long t0 = System.nanoTime();
      String pod = "w-" + w + "-" + node + "-0";
      boolean evicted = client.pods().inNamespace(namespace(w)).withName(pod).evict();
      latencies.add(System.nanoTime() - t0);
      check(evicted, "eviction of " + pod + " refused");
    }
    System.out.printf("eviction (allowed, budget checked): %s%n", percentiles(latencies));
  }

  /** What the operator does per draining node: watch that node's pods until it has seen them. */
  private void openPodWatchByNode() throws InterruptedException {
    List<Long> latencies = new ArrayList<>();
    long deadline = System.nanoTime() + PHASE_NANOS;
    for (int i = 0; i < 50 && System.nanoTime() < deadline; i++) {
      CountDownLatch seen = new CountDownLatch(1 + PODS_PER_NODE);
      long t0 = System.nanoTime();
      try (Watch watch =
          client
              .pods()
              .inAnyNamespace()
              .withField("spec.nodeName", nodeName(i * 97 % nodes))
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Pod pod) {
                      seen.countDown();
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  })) {
        check(seen.await(30, TimeUnit.SECONDS), "watch by node saw too few pods");
        latencies.add(System.nanoTime() - t0);
      }
    }
    System.out.printf(
        "pod watch by spec.nodeName, open until all 5 pods seen: %s%n", percentiles(latencies));
  }

  /** One watch per OSNode, by name, as agents without a shared informer would open them. */
  private void perObjectWatches() throws Exception {
    CountDownLatch opened = new CountDownLatch(nodes);
    List<Watch> watches = Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    parallel(
        nodes,
        i ->
            watches.add(
                client
                    .genericKubernetesResources(OSNODE_API, "OSNode")
                    .withName(nodeName(i))
                    .watch(
                        new Watcher<>() {
                          private boolean first = true;

                          @Override
                          public void eventReceived(Action action, GenericKubernetesResource o) {
                            if (first) {
                              first = false;
                              opened.countDown();
                            }
                          }

                          @Override
                          public void onClose(WatcherException cause) {}
                        })),
        Long.MAX_VALUE);
    check(opened.await(10, TimeUnit.MINUTES), "per-object watches did not all open");
    System.out.printf(
        "%,d per-object OSNode watches open (first event seen) in %.1f s; live threads: %d%n",
        nodes, (System.nanoTime() - start) / 1e9, Thread.activeCount());
    Random random = new Random(3);
    int[] picks = random.ints(20_000, 0, nodes).toArray();
    AtomicLong sequence = new AtomicLong(2_000_000_000L);
    long patchStart = System.nanoTime();
    long cpu0 = serverCpu();
    int done =
        parallel(
            picks.length,
            i -> patchStatus(nodeName(picks[i]), sequence.incrementAndGet()),
            PHASE_NANOS);
    report("OSNode status merge patch with them open", done, patchStart, cpu0);
    watches.forEach(Watch::close);
  }

  /** Runs {@code task(0..count-1)} on the pool; stops handing out work after {@code maxNanos}. */
  private int parallel(int count, IntConsumer task, long maxNanos) throws Exception {
    AtomicInteger next = new AtomicInteger();
    long deadline = maxNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + maxNanos;
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      workers.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement();
                    i < count && System.nanoTime() < deadline;
                    i = next.getAndIncrement()) {
                  task.accept(i);
                }
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    return Math.min(count, next.get() - THREADS);
  }

  private void report(String what, int done, long start, long cpu0) {
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "%s: %,d in %.1f s = %,.0f/s; server CPU %.2f ms per request%n",
        what, done, seconds, done / seconds, (serverCpu() - cpu0) / 1e6 / done);
  }

  /**
   * The API's event-loop thread, told from the clients' (same name, other Vert.x instance) by what
   * it is running: the mock web server's request handler. Called while creates are in flight.
   */
  private void findServerThread() {
    for (int attempt = 0; attempt < 1000 && serverThread < 0; attempt++) {
      for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
        for (StackTraceElement frame : thread.getValue()) {
          if (frame.getClassName().equals("io.fabric8.mockwebserver.MockWebServer$1")) {
            serverThread = thread.getKey().getId();
          }
        }
      }
    }
  }

  /** CPU time the API's event loop used so far (0 until it is known). */
  private long serverCpu() {
    return serverThread < 0
        ? 0
        : ManagementFactory.getThreadMXBean().getThreadCpuTime(serverThread);
  }

  private static String percentiles(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return "no samples";
    }
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return String.format(
        "n=%d p50 %.2f ms, p99 %.2f ms, max %.2f ms",
        sorted.size(),
        sorted.get(sorted.size() / 2) / 1e6,
        sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99))) / 1e6,
        sorted.get(sorted.size() - 1) / 1e6);
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }

  private final class OSNodeEvents implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource osnode) {}

    @Override
    public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
      Object generation = after.get("status", "observedGeneration");
      if (generation instanceof Number seq) {
        osnodeEvents.putIfAbsent(seq.longValue(), System.nanoTime());
      }
    }

    @Override
    public void onDelete(GenericKubernetesResource osnode, boolean unknown) {}
  }

  private static final class Ignore<T> implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {}

    @Override
    public void onUpdate(T before, T after) {}

    @Override
    public void onDelete(T obj, boolean unknown) {}
  }

  private static String nodeName(int i) {
    return String.format("node-%05d", i);
  }

  private static String namespace(int workload) {
    return "app-" + workload % NAMESPACES;
  }

  private static Node node(String name, int index) {
    Map<String, Quantity> resources =
        Map.of(
            "cpu", new Quantity("4"), "memory", new Quantity("16Gi"), "pods", new Quantity("110"));
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(
            Map.of(
                "kubernetes.io/hostname",
                name,
                "kubernetes.io/os",
                "linux",
                "topology.kubernetes.io/zone",
                "zone-" + index % 3,
                "refit.dev/policy",
                "fleet"))
        .endMetadata()
        .withNewSpec()
        .withPodCIDR("10.244." + (index % 250) + ".0/24")
        .endSpec()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withReason("KubeletReady")
        .withMessage("kubelet is posting ready status")
        .withLastHeartbeatTime("2026-11-26T10:00:00Z")
        .withLastTransitionTime("2026-11-26T10:00:00Z")
        .endCondition()
        .addNewAddress("10.0." + index / 250 + "." + (index % 250 + 2), "InternalIP")
        .withCapacity(resources)
        .withAllocatable(resources)
        .withNewNodeInfo()
        .withBootID("boot-" + name)
        .withOsImage("Ubuntu 24.04.1 LTS")
        .withKernelVersion("6.8.0-48-generic")
        .withKubeletVersion("v1.31.2")
        .withContainerRuntimeVersion("containerd://1.7.22")
        .withOperatingSystem("linux")
        .withArchitecture("amd64")
        .endNodeInfo()
        .endStatus()
        .build();
  }

  private static GenericKubernetesResource osnode(String name) {
    GenericKubernetesResource osnode = osnodeRef(name);
    osnode.setAdditionalProperty(
        "spec", Map.of("policy", "fleet", "target", "42.0", "state", "Idle", "node", name));
    return osnode;
  }

  private static GenericKubernetesResource osnodeRef(String name) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(OSNODE_API)
        .withKind("OSNode")
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of("refit.dev/policy", "fleet"))
        .endMetadata()
        .build();
  }

  private static Pod pod(String namespace, String name, String app, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(Map.of("app", app))
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .withTerminationGracePeriodSeconds(30L)
        .addNewContainer()
        .withName("main")
        .withImage("registry.example/" + app + ":1.0")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .addNewContainerStatus()
        .withName("main")
        .withReady(true)
        .withRestartCount(0)
        .endContainerStatus()
        .endStatus()
        .build();
  }

  private void close() {
    pool.shutdownNow();
    client.close();
    api.close();
  }
}
