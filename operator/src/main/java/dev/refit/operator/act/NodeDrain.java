package dev.refit.operator.act;

import dev.refit.api.Drain;
import dev.refit.operator.plan.Blocker;
import dev.refit.operator.plan.DoNotDisrupt;
import dev.refit.operator.plan.PodFilter;
import dev.refit.operator.plan.PodFilter.Verdict;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One node's drain: evicts the pods that must leave, in parallel, retries the ones a
 * PodDisruptionBudget protects, and reports what blocks it. It is restartable: it acts on what the
 * pod watch shows now, so a drain started again after an operator restart picks up where the last
 * one stopped.
 */
final class NodeDrain {

  private static final Logger LOG = Logger.getLogger(NodeDrain.class);

  private final String policy;
  private final String node;
  private final Drain spec;
  private final KubernetesClient client;
  private final NodePods pods;
  private final ExecutorService evictions;
  private final ScheduledExecutorService scheduler;
  private final Duration retryInterval;
  private final Clock clock;
  private final Runnable wake;
  private final Instant evictFrom;
  private final PodBudgets budgets;

  private final Set<String> inFlight = new HashSet<>();
  private final Map<String, Blocker> blocked = new LinkedHashMap<>();
  private boolean forced;
  private boolean stopped;

  NodeDrain(
      String policy,
      String node,
      Drain spec,
      KubernetesClient client,
      NodePods pods,
      ExecutorService evictions,
      ScheduledExecutorService scheduler,
      Duration retryInterval,
      Clock clock,
      Runnable wake,
      Instant evictFrom) {
    this.policy = policy;
    this.node = node;
    this.spec = spec;
    this.client = client;
    this.pods = pods;
    this.evictions = evictions;
    this.scheduler = scheduler;
    this.retryInterval = retryInterval;
    this.clock = clock;
    this.wake = wake;
    this.evictFrom = evictFrom;
    this.budgets = new PodBudgets(client);
    if (evictFrom != null && clock.instant().isBefore(evictFrom)) {
      // nothing marks the end of the wait for load balancers: look again then
      scheduler.schedule(
          () -> {
            tick();
            wake.run();
          },
          Duration.between(clock.instant(), evictFrom).toMillis() + 1,
          TimeUnit.MILLISECONDS);
    }
  }

  /** Whether the drain still waits for load balancers to stop sending the node traffic. */
  private boolean waitingForLoadBalancers() {
    return evictFrom != null && clock.instant().isBefore(evictFrom);
  }

  String policy() {
    return policy;
  }

  /** Acts on the node's pods as they are now: evicts (or deletes, once forced) what must leave. */
  synchronized void tick() {
    if (stopped || !pods.synced(node) || waitingForLoadBalancers()) {
      return;
    }
    Instant now = clock.instant();
    List<Pod> present = pods.pods(node);
    // a pod that left (evicted, deleted by someone, its opt-out lifted and evicted) blocks no
    // more; one evicted stays in flight until it has left, so a tick that still sees it running
    // (the watch not yet caught up) does not evict it twice
    Set<String> keys = new HashSet<>();
    present.forEach(p -> keys.add(key(p)));
    inFlight.retainAll(keys);
    if (blocked.keySet().retainAll(keys)) {
      wake.run();
    }
    for (Pod pod : present) {
      String key = key(pod);
      Verdict verdict = PodFilter.judge(pod, spec, now);
      if (!PodFilter.mustLeave(verdict) || pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (verdict == Verdict.BLOCK_EMPTY_DIR && !forced) {
        block(key, new Blocker(key, "EmptyDir", "emptyDir", now));
        continue;
      }
      if (verdict == Verdict.WAIT_OPTED_OUT && !forced) {
        DoNotDisrupt optOut = DoNotDisrupt.of(pod).orElseThrow();
        Blocker before = blocked.get(key);
        block(key, new Blocker(key, "DoNotDisrupt", optOut.describe(), now));
        if (optOut.until() != null
            && (before == null || !before.detail().equals(optOut.describe()))) {
          // no event marks the end of an opt-out by time: look again then
          scheduler.schedule(
              this::tick,
              Duration.between(now, optOut.until()).toMillis() + 1,
              TimeUnit.MILLISECONDS);
        }
        continue;
      }
      if (inFlight.add(key)) {
        evictions.execute(() -> remove(pod));
      }
    }
  }

  /** Whether every pod that must leave is gone. */
  synchronized boolean done() {
    return !waitingForLoadBalancers()
        && pods.synced(node)
        && pods.pods(node).stream()
            .noneMatch(p -> PodFilter.mustLeave(PodFilter.judge(p, spec, clock.instant())));
  }

  /** From now on, delete the remaining pods without the Eviction API. */
  synchronized void force() {
    if (!forced) {
      forced = true;
      LOG.infof("Forcing the drain of %s: deleting the remaining pods", node);
      tick();
    }
  }

  synchronized void stop() {
    stopped = true;
  }

  /** The longest-standing block, if anything blocks the drain. */
  synchronized Optional<Blocker> blocker() {
    return blocked.values().stream().min(Comparator.comparing(Blocker::since));
  }

  private void remove(Pod pod) {
    String key = key(pod);
    synchronized (this) {
      if (stopped) {
        return; // stopped (the node released, its policy deleted) after this eviction was queued
      }
    }
    try {
      boolean gone = forced ? delete(pod) : evict(pod);
      synchronized (this) {
        if (gone) {
          boolean wasBlocked = blocked.remove(key) != null;
          if (wasBlocked) {
            wake.run();
          }
          return;
        }
      }
      block(key, budgets.refused(pod, clock.instant()));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        synchronized (this) {
          inFlight.remove(key);
        }
        return;
      }
      String message = e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage();
      String reason =
          e.getCode() == 500 && String.valueOf(message).contains("more than one")
              ? "MultiplePDBs"
              : "EvictionError";
      block(key, new Blocker(key, reason, e.getCode() + " " + message, clock.instant()));
    } catch (RuntimeException e) {
      LOG.warnf(e, "Removing pod %s from %s failed", key, node);
      block(
          key, new Blocker(key, "EvictionError", String.valueOf(e.getMessage()), clock.instant()));
    }
    retryLater(key);
  }

  private boolean evict(Pod pod) {
    EvictionBuilder eviction =
        new EvictionBuilder()
            .withNewMetadata()
            .withName(pod.getMetadata().getName())
            .withNamespace(pod.getMetadata().getNamespace())
            .endMetadata();
    if (spec.getGracePeriodSeconds() != null) {
      eviction.withDeleteOptions(
          new DeleteOptionsBuilder()
              .withGracePeriodSeconds(spec.getGracePeriodSeconds().longValue())
              .build());
    }
    Eviction built = eviction.build();
    return client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .evict(built);
  }

  private boolean delete(Pod pod) {
    var resource =
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName());
    if (spec.getGracePeriodSeconds() != null) {
      resource.withGracePeriod(spec.getGracePeriodSeconds()).delete();
    } else {
      resource.delete();
    }
    return true;
  }

  /**
   * Records what blocks the pod. A block of the same kind keeps when it began and takes the new
   * detail (an opt-out edited, another error); the policy is woken when either changes.
   */
  private void block(String key, Blocker blocker) {
    boolean fresh;
    boolean changed;
    synchronized (this) {
      Blocker previous = blocked.get(key);
      fresh = previous == null || !previous.reason().equals(blocker.reason());
      changed = !fresh && !previous.detail().equals(blocker.detail());
      blocked.put(
          key,
          fresh ? blocker : new Blocker(key, blocker.reason(), blocker.detail(), previous.since()));
    }
    if (fresh) {
      LOG.infof("Drain of %s blocked by %s", node, blocker.describe());
    }
    if (fresh || changed) {
      wake.run();
    }
  }

  private void retryLater(String key) {
    scheduler.schedule(
        () -> {
          synchronized (this) {
            inFlight.remove(key);
          }
          tick();
        },
        retryInterval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  static String key(Pod pod) {
    return PodBudgets.key(pod);
  }
}
