package dev.refit.operator.act;

import dev.refit.api.Drain;
import dev.refit.operator.lifecycle.DrainProgress;
import dev.refit.operator.plan.Blocker;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Runs node drains in the background, at most one per node, and wakes the owning policy whenever a
 * drain makes progress or gets blocked. The lifecycle decides when a drain must run; this only
 * makes it so, idempotently.
 */
public class DrainManager implements AutoCloseable {

  private final KubernetesClient client;
  private final NodePods pods;
  private final Clock clock;
  private final Duration retryInterval;
  private final Consumer<String> wakePolicy;
  private final ExecutorService evictions;
  private final ScheduledExecutorService scheduler;
  private final Map<String, NodeDrain> drains = new ConcurrentHashMap<>();
  private final PodBudgets budgets;

  /**
   * @param client the operator's client
   * @param clock the operator's clock
   * @param retryInterval how long to wait before retrying an eviction a PDB refused
   * @param parallelEvictions how many evictions run at once, over all nodes
   * @param wakePolicy asks for a reconciliation of the named policy
   */
  public DrainManager(
      KubernetesClient client,
      Clock clock,
      Duration retryInterval,
      int parallelEvictions,
      Consumer<String> wakePolicy) {
    this.client = client;
    this.clock = clock;
    this.retryInterval = retryInterval;
    this.wakePolicy = wakePolicy;
    this.pods = new NodePods(client, this::podsChanged);
    this.budgets = new PodBudgets(client);
    this.evictions = Executors.newFixedThreadPool(parallelEvictions, daemon("refit-eviction"));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("refit-drain-retry"));
  }

  /** The pod watches, shared with health checks. */
  public NodePods pods() {
    return pods;
  }

  /**
   * Makes sure the node is being drained for the policy; starts the drain if none runs.
   *
   * @param since when the node's drain began (its OSNode's {@code stateSince}): a wait for load
   *     balancers ({@code drain.loadBalancerWaitSeconds}) counts from then, so an operator that
   *     takes over a drain waits only what is left of it
   */
  public void ensure(String policy, String node, Drain spec, Instant since) {
    pods.watch(policy, node);
    NodeDrain drain =
        drains.computeIfAbsent(
            node,
            n ->
                new NodeDrain(
                    policy,
                    n,
                    spec,
                    client,
                    pods,
                    evictions,
                    scheduler,
                    retryInterval,
                    clock,
                    () -> wakePolicy.accept(policy),
                    evictFrom(spec, since)));
    drain.tick();
  }

  /** When evictions may start: after the wait for load balancers, if the policy asks for one. */
  static Instant evictFrom(Drain spec, Instant since) {
    Integer wait = spec.getLoadBalancerWaitSeconds();
    if (since == null
        || wait == null
        || wait <= 0
        || Boolean.FALSE.equals(spec.getExcludeFromLoadBalancers())) {
      return null;
    }
    return since.plusSeconds(wait);
  }

  /**
   * A check of one round's candidates before their cordons: the PodDisruptionBudgets that can never
   * allow the eviction of a pod a drain would have to evict. Read from the API server now, each
   * namespace's budgets once for the round.
   */
  public PodBudgets.Check budgetCheck() {
    return budgets.check(clock.instant());
  }

  /** Switches the node's drain to deleting pods without eviction (onTimeout: Force). */
  public void force(String node) {
    NodeDrain drain = drains.get(node);
    if (drain != null) {
      drain.force();
    }
  }

  /** How the node's drain is going. */
  public DrainProgress progress(String node) {
    NodeDrain drain = drains.get(node);
    if (drain == null) {
      return DrainProgress.NOT_RUNNING;
    }
    return drain.done() ? DrainProgress.DONE : DrainProgress.RUNNING;
  }

  /** What blocks the node's drain, if anything. */
  public Optional<Blocker> blocker(String node) {
    NodeDrain drain = drains.get(node);
    return drain == null ? Optional.empty() : drain.blocker();
  }

  /**
   * Stops the policy's drains of nodes not in {@code draining}, and its pod watches of nodes not in
   * {@code watched}.
   */
  public void retain(String policy, Set<String> draining, Set<String> watched) {
    for (Map.Entry<String, NodeDrain> entry : Set.copyOf(drains.entrySet())) {
      if (entry.getValue().policy().equals(policy) && !draining.contains(entry.getKey())) {
        drains.remove(entry.getKey()).stop();
      }
    }
    pods.retain(policy, watched);
  }

  private void podsChanged(String policy, String node) {
    NodeDrain drain = drains.get(node);
    if (drain != null) {
      drain.tick();
    }
    wakePolicy.accept(policy);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void close() {
    drains.values().forEach(NodeDrain::stop);
    drains.clear();
    pods.close();
    evictions.shutdownNow();
    scheduler.shutdownNow();
  }
}
