package dev.refit.sim;

import dev.refit.api.OSNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
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
 * <p>What it writes is safe to refresh: each node's status exactly as its agent last reported it
 * (the agent's status has no heartbeat field, so a fact refresh is the agent's whole status), as a
 * merge patch of the status subresource guarded by the resourceVersion it was read at. If the agent
 * wrote in between, the API refuses the refresh (409) and the storm reads the OSNode again and
 * retries, as an agent does; so it never overwrites a newer report, never writes the spec, and a
 * node whose agent has not reported yet is left alone. On the embedded API every such write is a
 * new resourceVersion and a MODIFIED event for every OSNode watch, the operator's included. (A real
 * API server would drop a write that changes nothing; there only changed facts make events.)
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

  /** Writes the node's status back as its agent reported it, at the version it was read. */
  private void refresh(String name) {
    OSNode osNode = osNodes.getStore().getByKey(name);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (osNode == null || osNode.getStatus() == null) {
        skipped.increment();
        return;
      }
      OSNode target = new OSNode();
      target.setMetadata(new ObjectMetaBuilder().withName(name).build());
      Map<String, Object> patch =
          Map.of(
              "metadata",
              Map.of("resourceVersion", osNode.getMetadata().getResourceVersion()),
              "status",
              osNode.getStatus());
      try {
        // resource(target): one request, no GET first
        client
            .resources(OSNode.class)
            .resource(target)
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
        writes.increment();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          failures.increment();
          return;
        }
        // the agent (or the operator) wrote in between: read again, refresh what is there now
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
