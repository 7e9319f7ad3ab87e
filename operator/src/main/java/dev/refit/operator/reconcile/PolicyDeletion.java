package dev.refit.operator.reconcile;

import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.operator.act.DrainManager;
import dev.refit.operator.act.EventRecorder;
import dev.refit.operator.act.PolicyTeardown;
import dev.refit.operator.act.RolloutMetrics;
import dev.refit.operator.act.StatusWriter;
import dev.refit.operator.config.OperatorSettings;
import dev.refit.operator.plan.HealthChecks;
import dev.refit.operator.plan.Round;
import dev.refit.operator.plan.RoundSettings;
import dev.refit.operator.plan.Teardown;
import dev.refit.operator.status.DeletionStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One step of a policy's deletion, as the finalizer runs it: observe (the policy's OSNodes and the
 * Nodes), decide ({@link Teardown}), act ({@link PolicyTeardown}), report (status and Events while
 * it waits). Keeps the finalizer while a node of the policy finishes its reboot, and looks again at
 * the node's deadline or when the node or its OSNode changes.
 */
final class PolicyDeletion {

  /** The least wait before looking again, so a deadline just passed is not looked at in a loop. */
  private static final Duration AT_LEAST = Duration.ofMillis(100);

  private final Clock clock;
  private final OperatorSettings settings;
  private final PolicyCaches caches;
  private final DrainManager drains;
  private final PolicyTeardown teardown;
  private final EventRecorder events;
  private final StatusWriter statusWriter;
  private final RolloutMetrics metrics;

  PolicyDeletion(
      Clock clock,
      OperatorSettings settings,
      PolicyCaches caches,
      DrainManager drains,
      PolicyTeardown teardown,
      EventRecorder events,
      StatusWriter statusWriter,
      RolloutMetrics metrics) {
    this.clock = clock;
    this.settings = settings;
    this.caches = caches;
    this.drains = drains;
    this.teardown = teardown;
    this.events = events;
    this.statusWriter = statusWriter;
    this.metrics = metrics;
  }

  /** Takes the deletion one step; removes the finalizer once nothing is left to wait for. */
  DeleteControl step(OSUpdatePolicy policy, KubernetesClient client) {
    Instant now = clock.instant();
    Observation seen = caches.observe(policy, now, drains);
    Map<String, Node> nodes =
        seen.nodes().stream()
            .collect(Collectors.toMap(n -> n.getMetadata().getName(), Function.identity()));
    List<Round.NodeInput> ours = new ArrayList<>();
    List<OSNode> orphans = new ArrayList<>();
    for (OSNode osNode : seen.ours().values()) {
      Node node = nodes.get(osNode.getMetadata().getName());
      if (node == null) {
        orphans.add(osNode);
      } else {
        ours.add(input(policy, node, osNode));
      }
    }
    Round.Settings roundSettings =
        RoundSettings.of(
            policy.getSpec(), ours.size(), List.of(), seen.window(), settings.operatorNode());
    Teardown.Result plan = Teardown.plan(seen.name(), roundSettings, ours, seen.nodes(), now);

    teardown.apply(policy, plan, orphans, caches).forEach(caches::deleted);

    if (plan.done()) {
      events.record(DeletionStatus.finished(policy, plan, plan.revoked().size() + orphans.size()));
      metrics.nodes(seen.name(), new EnumMap<>(NodeState.class));
      metrics.halted(seen.name(), false);
      metrics.drainsBlocked(seen.name(), List.of());
      return DeleteControl.defaultDelete();
    }
    OSUpdatePolicyStatus status = DeletionStatus.compose(policy, plan, now);
    DeletionStatus.notices(policy, policy.getStatus(), status).forEach(events::record);
    statusWriter.write(client, policy, status);
    // Changes of the nodes and their OSNodes wake the deletion; the timer is for the deadline.
    Duration wait = Duration.between(now, plan.wakeAt()).plus(AT_LEAST);
    return DeleteControl.noFinalizerRemoval()
        .rescheduleAfter(wait.compareTo(AT_LEAST) < 0 ? AT_LEAST : wait);
  }

  private Round.NodeInput input(OSUpdatePolicy policy, Node node, OSNode osNode) {
    String name = node.getMetadata().getName();
    var pods = drains.pods();
    return new Round.NodeInput(
        node,
        osNode,
        drains.progress(name),
        HealthChecks.healthy(
            policy.getSpec().getHealthCheck(), pods.synced(name) ? pods.pods(name) : null));
  }
}
