package dev.refit.sim;

import dev.refit.api.Condition;
import dev.refit.api.OSNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A storm of OSNode status updates at a steady rate, spread round-robin over every OSNode, as a
 * fleet of agents re-reporting their host facts would send them.
 *
 * <p>What it writes is safe to refresh: a node's conditions exactly as its agent last reported them
 * (the agent's status has no heartbeat field), in another order. Conditions are keyed by type, and
 * the operator and the agent read them by type, so the report means the same; but it is a change,
 * so every write is a new resourceVersion and a MODIFIED event for every OSNode watch, the
 * operator's included, as changed facts would be. The write is a JSON patch of the status
 * subresource whose first operation tests the resourceVersion the conditions were read at: if the
 * agent wrote in between, the API refuses it and the storm reads the OSNode again and retries, as
 * an agent does. So it never overwrites a newer report, never writes the spec, and leaves alone a
 * node whose agent has not reported yet.
 */
final class EventStorm implements AutoCloseable {

  /** The storm's client names itself so, to be told apart from the agents and the operator. */
  static final String CLIENT = "refit-simulator/event-storm";

  private static final long TICK_MILLIS = 10;
  private static final int WRITERS = 8;
  private static final int ATTEMPTS = 3;

  /** What the storm did. */
  record Figures(
      double seconds, long writes, long conflicts, long failures, long skipped, long behind) {
    double perSecond() {
      return seconds <= 0 ? 0 : writes / seconds;
    }
  }

  private final KubernetesClient client;
  private final double perSecond;
  private final ScheduledExecutorService pacer =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "event-storm-pacer"));
  private final ExecutorService writers =
      Executors.newFixedThreadPool(WRITERS, r -> daemon(r, "event-storm-writer"));
  // at most a few writes wait for a writer: a storm the API cannot keep up with falls behind
  // (counted) rather than queueing without bound
  private final Semaphore inFlight = new Semaphore(WRITERS * 2);
  private final AtomicInteger next = new AtomicInteger();
  private final LongAdder writes = new LongAdder();
  private final LongAdder conflicts = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final LongAdder behind = new LongAdder();
  private SharedIndexInformer<OSNode> osNodes;
  private long startNanos;
  private long stopNanos;
  private long issued;

  /** A storm of {@code perSecond} status updates on this client (closed with the storm). */
  EventStorm(KubernetesClient client, double perSecond) {
    this.client = client;
    this.perSecond = perSecond;
  }

  /** Starts writing; the OSNodes are read from a watch of their own, not by polling. */
  EventStorm start() {
    osNodes = client.resources(OSNode.class).inform();
    startNanos = System.nanoTime();
    pacer.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Issues as many writes as the rate asks for by now. */
  private void tick() {
    long due = (long) (perSecond * (System.nanoTime() - startNanos) / 1e9) - issued;
    List<String> names = osNodes.getStore().listKeys();
    for (long i = 0; i < due; i++) {
      issued++;
      if (names.isEmpty()) {
        skipped.increment();
      } else if (!inFlight.tryAcquire()) {
        behind.increment();
      } else {
        String name = names.get(Math.floorMod(next.getAndIncrement(), names.size()));
        writers.execute(
            () -> {
              try {
                refresh(name);
              } finally {
                inFlight.release();
              }
            });
      }
    }
  }

  /**
   * Re-reports the node's conditions as its agent last reported them, in another order, at the
   * version they were read.
   */
  private void refresh(String name) {
    OSNode osNode = osNodes.getStore().getByKey(name);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (osNode == null
          || osNode.getStatus() == null
          || osNode.getStatus().getConditions().size() < 2) {
        skipped.increment();
        return;
      }
      List<Condition> rotated = new ArrayList<>(osNode.getStatus().getConditions());
      Collections.rotate(rotated, 1);
      // the test operation makes the write conditional on the version read, atomically, on any
      // API server; the embedded one does not check a resourceVersion given in a status write
      List<Map<String, Object>> patch =
          List.of(
              Map.of(
                  "op",
                  "test",
                  "path",
                  "/metadata/resourceVersion",
                  "value",
                  osNode.getMetadata().getResourceVersion()),
              Map.of("op", "replace", "path", "/status/conditions", "value", rotated));
      OSNode target = new OSNode();
      target.setMetadata(new ObjectMetaBuilder().withName(name).build());
      try {
        // resource(target): one request, no GET first
        client
            .resources(OSNode.class)
            .resource(target)
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(patch));
        writes.increment();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          skipped.increment();
          return;
        }
        // the agent (or the operator) wrote in between, so the test failed: read again and
        // refresh what is there now
        conflicts.increment();
        osNode = client.resources(OSNode.class).withName(name).get();
      }
    }
    failures.increment();
  }

  /** What the storm did so far (or in all, once closed). */
  Figures figures() {
    long end = stopNanos != 0 ? stopNanos : System.nanoTime();
    return new Figures(
        (end - startNanos) / 1e9,
        writes.sum(),
        conflicts.sum(),
        failures.sum(),
        skipped.sum(),
        behind.sum());
  }

  /** Stops writing: no write starts after this returns. */
  @Override
  public void close() throws InterruptedException {
    pacer.shutdownNow();
    pacer.awaitTermination(5, TimeUnit.SECONDS);
    writers.shutdown();
    if (!writers.awaitTermination(10, TimeUnit.SECONDS)) {
      writers.shutdownNow();
    }
    if (stopNanos == 0) {
      stopNanos = System.nanoTime();
    }
    if (osNodes != null) {
      osNodes.close();
    }
    client.close();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
  }
}
