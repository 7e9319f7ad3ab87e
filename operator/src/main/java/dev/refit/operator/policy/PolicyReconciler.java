package dev.refit.operator.policy;

import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicyStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reconciles each OSUpdatePolicy against the nodes it selects. Thin: it gathers facts from the
 * informer caches, asks pure functions what the status should be, and writes status only when it
 * changed. Events that can change a policy's view: the policy itself, any Node (labels, readiness,
 * cordon), its OSNodes, and other policies (which may claim the same nodes).
 */
@ControllerConfiguration(name = PolicyReconciler.NAME)
public class PolicyReconciler implements Reconciler<OSUpdatePolicy> {

  public static final String NAME = "osupdatepolicy";
  static final String NODES = "nodes";
  static final String OS_NODES = "osnodes";
  static final String PEER_POLICIES = "peer-policies";

  private final Clock clock;
  private final PolicyMetrics metrics;

  @Inject
  public PolicyReconciler(Clock clock, MeterRegistry registry) {
    this.clock = clock;
    this.metrics = new PolicyMetrics(registry);
  }

  @Override
  public List<EventSource<?, OSUpdatePolicy>> prepareEventSources(
      EventSourceContext<OSUpdatePolicy> context) {
    // Policies are few and nodes many: a relevant node change re-plans every policy, because a
    // label change can move a node from one policy to another.
    InformerEventSource<Node, OSUpdatePolicy> nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, OSUpdatePolicy.class)
                .withName(NODES)
                .withSecondaryToPrimaryMapper(node -> allPolicies(context))
                .withOnUpdateFilter(NodeChanges::relevant)
                .build(),
            context);
    InformerEventSource<OSNode, OSUpdatePolicy> osNodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(OSNode.class, OSUpdatePolicy.class)
                .withName(OS_NODES)
                .withSecondaryToPrimaryMapper(
                    osNode ->
                        osNode.getSpec() == null || osNode.getSpec().getPolicy() == null
                            ? Set.of()
                            : Set.of(new ResourceID(osNode.getSpec().getPolicy())))
                .build(),
            context);
    InformerEventSource<OSUpdatePolicy, OSUpdatePolicy> peers =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(OSUpdatePolicy.class, OSUpdatePolicy.class)
                .withName(PEER_POLICIES)
                .withSecondaryToPrimaryMapper(policy -> allPolicies(context))
                .withOnUpdateFilter(
                    (newer, older) ->
                        !Objects.equals(
                            newer.getMetadata().getGeneration(),
                            older.getMetadata().getGeneration()))
                .build(),
            context);
    return List.of(nodes, osNodes, peers);
  }

  @Override
  public UpdateControl<OSUpdatePolicy> reconcile(
      OSUpdatePolicy policy, Context<OSUpdatePolicy> context) {
    String name = policy.getMetadata().getName();
    metrics.reconciled(name);
    List<OSUpdatePolicy> policies = context.getPrimaryCache().list().toList();
    List<Node> nodes = cached(context, Node.class, NODES);
    Claims claims = Claims.of(policies, nodes);
    List<SpecProblem> problems = SpecJudge.judge(policy.getSpec());

    OSUpdatePolicyStatus status =
        PolicyStatusComposer.compose(policy, claims, problems, clock.instant());
    if (status.equals(policy.getStatus())) {
      return UpdateControl.noUpdate();
    }
    policy.setStatus(status);
    metrics.statusWritten(name);
    return UpdateControl.patchStatus(policy);
  }

  /** Everything an informer event source holds in its cache. */
  static <R extends io.fabric8.kubernetes.api.model.HasMetadata> List<R> cached(
      Context<OSUpdatePolicy> context, Class<R> type, String eventSource) {
    var source =
        (InformerEventSource<R, OSUpdatePolicy>)
            context.eventSourceRetriever().getEventSourceFor(type, eventSource);
    return source.list().toList();
  }

  private static Set<ResourceID> allPolicies(EventSourceContext<OSUpdatePolicy> context) {
    return context
        .getPrimaryCache()
        .list()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}
