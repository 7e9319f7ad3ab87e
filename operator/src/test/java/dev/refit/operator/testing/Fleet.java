package dev.refit.operator.testing;

import static org.awaitility.Awaitility.await;

import dev.refit.api.Condition;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.testing.FakeNodes;
import dev.refit.testing.FakeWorkloads;
import dev.refit.testing.HarnessTiming;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A simulated fleet on the embedded API: nodes with fake kubelets, workloads with a fake ReplicaSet
 * controller, fake node agents, an invariant watch, and the operator under test. Close it to stop
 * everything.
 */
public final class Fleet implements AutoCloseable {

  public final EmbeddedKubernetes api = EmbeddedKubernetes.start();
  public final FakeNodes nodes = new FakeNodes(api, HarnessTiming.fast());
  public final FakeWorkloads workloads = new FakeWorkloads(api);
  public final FakeAgents agents = new FakeAgents(api, nodes, 50);
  public final InvariantWatch invariants = new InvariantWatch(api);
  private final List<RunningOperator> operators = new ArrayList<>();

  /** Adds {@code count} nodes named prefix-1.. with these labels. */
  public Fleet withNodes(String prefix, int count, Map<String, String> labels) {
    for (int i = 1; i <= count; i++) {
      nodes.add(prefix + "-" + i, labels);
    }
    return this;
  }

  public RunningOperator startOperator() {
    RunningOperator operator = RunningOperator.start(api);
    operators.add(operator);
    return operator;
  }

  /** Starts an operator that runs on {@code node} (its node goes last in the rollout order). */
  public RunningOperator startOperatorOn(String node) {
    RunningOperator operator = RunningOperator.startOn(api, node);
    operators.add(operator);
    return operator;
  }

  public RunningOperator startElectedOperator(String identity) {
    RunningOperator operator = RunningOperator.startElected(api, identity);
    operators.add(operator);
    return operator;
  }

  /** The meters of the first operator started. */
  public io.micrometer.core.instrument.MeterRegistry metricsOfFirstOperator() {
    return operators.get(0).metrics();
  }

  public KubernetesClient client() {
    return api.client();
  }

  public OSUpdatePolicy apply(OSUpdatePolicy policy) {
    return client().resource(policy).create();
  }

  /**
   * Applies the policy paused and waits until it has {@code nodes} OSNodes, all Staged: once {@link
   * #resume resumed}, its rounds start nodes by the rollout order and the limits alone, not by
   * which host finished downloading first.
   */
  public void applyPausedUntilStaged(OSUpdatePolicy policy, int nodes) {
    policy.getSpec().getRollout().setPaused(true);
    apply(policy);
    String name = policy.getMetadata().getName();
    awaitUntil(
        Duration.ofSeconds(30),
        () -> {
          List<OSNode> ours =
              osNodes().stream().filter(o -> name.equals(o.getSpec().getPolicy())).toList();
          return ours.size() == nodes
              && ours.stream().allMatch(o -> o.getSpec().getState() == NodeState.Staged);
        });
  }

  /** Resumes a paused policy, as a person does. */
  public void resume(String policy) {
    edit(
        policy,
        p -> {
          p.getSpec().getRollout().setPaused(false);
          return p;
        });
  }

  /**
   * Edits a policy as a person does: read, change, write; when the operator wrote the status in
   * between (409 Conflict), read again and redo the change.
   */
  public OSUpdatePolicy edit(String name, UnaryOperator<OSUpdatePolicy> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client().resources(OSUpdatePolicy.class).withName(name).edit(change);
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  public OSUpdatePolicy policy(String name) {
    return client().resources(OSUpdatePolicy.class).withName(name).get();
  }

  public OSNode osNode(String name) {
    return client().resources(OSNode.class).withName(name).get();
  }

  public List<OSNode> osNodes() {
    return client().resources(OSNode.class).list().getItems();
  }

  public Condition condition(String policy, String type) {
    OSUpdatePolicy current = policy(policy);
    return current == null || current.getStatus() == null
        ? null
        : current.getStatus().condition(type);
  }

  /** The reason of the policy's condition, or null while it has none. */
  public String reason(String policy, String type) {
    Condition condition = condition(policy, type);
    return condition == null ? null : condition.getReason();
  }

  /** Waits until the policy's condition has this reason; returns it. */
  public Condition awaitCondition(String policy, String type, String reason, Duration within) {
    try {
      return await()
          .atMost(within)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> condition(policy, type), c -> c != null && reason.equals(c.getReason()));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n" + describe(), e);
    }
  }

  /** What the fleet looks like now, for failure messages. */
  public String describe() {
    StringBuilder out = new StringBuilder("fleet:\n");
    for (OSNode n : osNodes()) {
      var node = client().nodes().withName(n.getMetadata().getName()).get();
      out.append("  ")
          .append(n.getMetadata().getName())
          .append(" ")
          .append(n.getSpec().getState())
          .append(" ")
          .append(n.getSpec().getReason())
          .append(" action=")
          .append(n.getSpec().getAction())
          .append("/")
          .append(n.getSpec().getActionId())
          .append(" status=")
          .append(
              n.getStatus() == null
                  ? null
                  : io.fabric8.kubernetes.client.utils.Serialization.asJson(n.getStatus()))
          .append(" unschedulable=")
          .append(node == null ? null : node.getSpec().getUnschedulable())
          .append(" boot=")
          .append(node == null ? null : node.getStatus().getNodeInfo().getBootID())
          .append("\n");
    }
    for (OSUpdatePolicy policy : client().resources(OSUpdatePolicy.class).list().getItems()) {
      out.append("policy ").append(policy.getMetadata().getName()).append(":\n");
      if (policy.getStatus() != null) {
        policy
            .getStatus()
            .getConditions()
            .forEach(
                c ->
                    out.append("  ")
                        .append(c.getType())
                        .append("=")
                        .append(c.getStatus())
                        .append(" ")
                        .append(c.getReason())
                        .append(": ")
                        .append(c.getMessage())
                        .append("\n"));
      }
    }
    return out.toString();
  }

  /** A person cordons the node (kubectl cordon); the invariants know that cordon is theirs. */
  public void cordonByPerson(String node) {
    invariants.cordonedByPerson(node);
    client()
        .nodes()
        .withName(node)
        .edit(
            n -> {
              n.getSpec().setUnschedulable(true);
              return n;
            });
  }

  /** Waits until the policy reports every node updated. */
  public void awaitRolledOut(String policy, Duration within) {
    awaitCondition(policy, "Ready", "AllNodesUpdated", within);
  }

  public void awaitUntil(Duration within, java.util.concurrent.Callable<Boolean> condition) {
    try {
      await().atMost(within).pollInterval(Duration.ofMillis(50)).until(condition);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n" + describe(), e);
    }
  }

  /**
   * Checks that {@code stillTrue} holds for the whole of {@code period}, polling every 50 ms: fails
   * at the first poll where it does not, naming {@code what} and how long it held. Use it for
   * "nothing happens for N seconds": it returns no sooner than {@code period}.
   */
  public void assertForAtLeast(Duration period, String what, BooleanSupplier stillTrue) {
    long start = System.nanoTime();
    long end = start + period.toNanos();
    while (true) {
      if (!stillTrue.getAsBoolean()) {
        Duration held = Duration.ofNanos(System.nanoTime() - start);
        throw new AssertionError(
            String.format(
                "expected %s for %s, but it broke after %s%n%s", what, period, held, describe()));
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      sleep(Math.min(Duration.ofMillis(50).toNanos(), left));
    }
  }

  private static void sleep(long nanos) {
    try {
      java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while checking a condition over time", e);
    }
  }

  /** Events recorded about an object. */
  public List<Event> events(String involvedName, Predicate<Event> filter) {
    return client().v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> involvedName.equals(e.getInvolvedObject().getName()))
        .filter(filter)
        .toList();
  }

  @Override
  public void close() {
    operators.forEach(RunningOperator::close);
    invariants.close();
    agents.close();
    workloads.close();
    nodes.close();
    api.close();
  }
}
