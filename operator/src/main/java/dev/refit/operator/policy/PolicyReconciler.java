package dev.refit.operator.policy;

import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.operator.config.OperatorSettings;
import dev.refit.operator.drain.Blocker;
import dev.refit.operator.drain.DrainManager;
import dev.refit.operator.events.EventRecorder;
import dev.refit.operator.metrics.RolloutMetrics;
import dev.refit.operator.node.Cordons;
import dev.refit.operator.node.NodeDriver;
import dev.refit.operator.node.OSNodes;
import dev.refit.operator.rollout.Rollout;
import dev.refit.operator.schedule.Windows;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reconciles each OSUpdatePolicy: gathers facts from the informer caches, plans a rollout round
 * with pure functions, has the {@link NodeDriver} make it true, and writes status only when it
 * changed. Woken by the policy, any Node change that matters, its OSNodes, other policies, and its
 * drains; a timer only where something must happen at a time (a phase timeout).
 */
@ControllerConfiguration(name = PolicyReconciler.NAME)
public class PolicyReconciler implements Reconciler<OSUpdatePolicy>, AutoCloseable {

  public static final String NAME = "osupdatepolicy";
  static final String NODES = "nodes";
  static final String OS_NODES = "osnodes";
  static final String PEER_POLICIES = "peer-policies";
  static final String WAKEUPS = "wakeups";

  private final Clock clock;
  private final OperatorSettings settings;
  private final PolicyMetrics policyMetrics;
  private final RolloutMetrics rolloutMetrics;
  private final StatusWriter statusWriter = new StatusWriter();
  private final FreshReads<Node> freshNodes = new FreshReads<>();
  private final FreshReads<OSNode> freshOsNodes = new FreshReads<>();
  private final SimpleInboundEventSource<OSUpdatePolicy> wakeups =
      new SimpleInboundEventSource<>(WAKEUPS);
  private InformerEventSource<Node, OSUpdatePolicy> nodeSource;
  private InformerEventSource<OSNode, OSUpdatePolicy> osNodeSource;
  private InformerEventSource<OSUpdatePolicy, OSUpdatePolicy> peers;
  private DrainManager drains;
  private EventRecorder events;
  private NodeDriver driver;

  @Inject
  public PolicyReconciler(Clock clock, MeterRegistry registry, OperatorSettings settings) {
    this.clock = clock;
    this.settings = settings;
    this.policyMetrics = new PolicyMetrics(registry);
    this.rolloutMetrics = new RolloutMetrics(registry);
  }

  @Override
  public List<EventSource<?, OSUpdatePolicy>> prepareEventSources(
      EventSourceContext<OSUpdatePolicy> context) {
    var client = context.getClient();
    drains =
        new DrainManager(
            client,
            clock,
            settings.drainRetryInterval(),
            settings.parallelEvictions(),
            policy -> wakeups.propagateEvent(new ResourceID(policy)));
    events = new EventRecorder(client, settings.eventsNamespace(), clock);
    driver =
        new NodeDriver(new OSNodes(client), new Cordons(client), drains, events, rolloutMetrics);

    // Policies are few and nodes many: a relevant node change re-plans every policy, because a
    // label change can move a node from one policy to another.
    nodeSource =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, OSUpdatePolicy.class)
                .withName(NODES)
                .withSecondaryToPrimaryMapper(node -> allPolicies(context))
                .withOnUpdateFilter(NodeChanges::relevant)
                .build(),
            context);
    osNodeSource =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(OSNode.class, OSUpdatePolicy.class)
                .withName(OS_NODES)
                .withSecondaryToPrimaryMapper(osNode -> owners(osNode, context))
                .build(),
            context);
    peers =
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
    return List.of(nodeSource, osNodeSource, peers, wakeups);
  }

  @Override
  public UpdateControl<OSUpdatePolicy> reconcile(
      OSUpdatePolicy policy, Context<OSUpdatePolicy> context) {
    String name = policy.getMetadata().getName();
    policyMetrics.reconciled(name);
    Instant now = clock.instant();
    OSUpdatePolicySpec spec = policy.getSpec();
    List<Node> nodes =
        nodeSource.list().map(n -> freshNodes.fresher(n.getMetadata().getName(), n)).toList();
    Claims claims = Claims.of(policies(policy), nodes);
    List<SpecProblem> problems = SpecJudge.judge(spec);

    Map<String, OSNode> all = new LinkedHashMap<>();
    osNodeSource
        .list()
        .forEach(
            o ->
                all.put(
                    o.getMetadata().getName(), freshOsNodes.fresher(o.getMetadata().getName(), o)));
    Map<String, OSNode> ours = new LinkedHashMap<>();
    all.values().stream()
        .filter(o -> o.getSpec() != null && name.equals(o.getSpec().getPolicy()))
        .forEach(o -> ours.put(o.getMetadata().getName(), o));

    List<Rollout.NodeInput> inputs =
        claims.managedBy(name).stream()
            // a node whose OSNode another policy still holds waits until that policy lets go
            .filter(
                n ->
                    !all.containsKey(n.getMetadata().getName())
                        || ours.containsKey(n.getMetadata().getName()))
            .map(
                n ->
                    new Rollout.NodeInput(
                        n,
                        ours.get(n.getMetadata().getName()),
                        drains.progress(n.getMetadata().getName()),
                        HealthChecks.healthy(
                            spec.getHealthCheck(), drains.pods(), n.getMetadata().getName())))
            .toList();
    Windows.State window = Windows.at(spec.getSchedule(), now);
    Rollout.Settings roundSettings =
        RoundSettings.of(spec, inputs.size(), problems, window, settings.operatorNode());
    Rollout.Result round = Rollout.round(roundSettings, inputs, now);

    NodeDriver.Written cache = new CacheWrites();
    driver.apply(policy, round.nodes(), cache);
    release(name, ours, inputs, nodes, cache);

    Map<String, Blocker> blockers = new LinkedHashMap<>();
    for (Rollout.NodeResult node : round.nodes()) {
      drains
          .blocker(node.name())
          .ifPresent(
              b -> {
                blockers.put(node.name(), b);
                driver.blocked(node.input().node(), name, b);
              });
    }
    OSUpdatePolicyStatus status =
        PolicyStatusComposer.compose(
            new PolicyStatusComposer.Facts(policy, claims, problems, round, blockers, now));
    status.setNextWindow(
        window.open() || window.nextOpen() == null ? null : window.nextOpen().toString());
    PolicyEvents.transitions(events, policy, policy.getStatus(), status);
    recordMetrics(name, round, blockers, now);

    if (statusWriter.write(context.getClient(), policy, status)) {
      policyMetrics.statusWritten(name);
    }
    UpdateControl<OSUpdatePolicy> control = UpdateControl.noUpdate();
    NextWake.of(round, blockers, window, roundSettings, now).ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * Every policy, as the peer informer sees them (it is the one whose events wake a policy when
   * another changes), with this policy as the reconciler got it.
   */
  private List<OSUpdatePolicy> policies(OSUpdatePolicy self) {
    List<OSUpdatePolicy> all = new java.util.ArrayList<>();
    all.add(self);
    peers
        .list()
        .filter(p -> !p.getMetadata().getName().equals(self.getMetadata().getName()))
        .forEach(all::add);
    return all;
  }

  /** OSNodes of this policy whose nodes it no longer manages are given back. */
  private void release(
      String policy,
      Map<String, OSNode> ours,
      List<Rollout.NodeInput> managed,
      List<Node> nodes,
      NodeDriver.Written cache) {
    Set<String> managedNames = new HashSet<>();
    managed.forEach(n -> managedNames.add(n.name()));
    Map<String, Node> byName =
        nodes.stream().collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n));
    for (OSNode osNode : ours.values()) {
      String node = osNode.getMetadata().getName();
      if (!managedNames.contains(node)) {
        driver.release(policy, osNode, byName.get(node), cache);
        freshOsNodes.deleted(node);
      }
    }
  }

  private void recordMetrics(
      String policy, Rollout.Result round, Map<String, Blocker> blockers, Instant now) {
    Map<dev.refit.api.NodeState, Integer> counts =
        new java.util.EnumMap<>(dev.refit.api.NodeState.class);
    round.nodes().forEach(n -> counts.merge(n.last().state(), 1, Integer::sum));
    rolloutMetrics.nodes(policy, counts);
    rolloutMetrics.halted(policy, round.plan().halted());
    rolloutMetrics.drainsBlocked(
        policy, blockers.values().stream().map(b -> Duration.between(b.since(), now)).toList());
  }

  /** Keeps the informer caches in step with what this reconciler just wrote. */
  private final class CacheWrites implements NodeDriver.Written {
    @Override
    public void osNode(OSNode previous, OSNode written) {
      if (written == null) {
        return;
      }
      freshOsNodes.wrote(written);
      ResourceID id = ResourceID.fromResource(written);
      if (previous == null) {
        osNodeSource.handleRecentResourceCreate(id, written);
      } else {
        osNodeSource.handleRecentResourceUpdate(id, written, previous);
      }
    }

    @Override
    public void node(Node previous, Node written) {
      freshNodes.wrote(written);
      nodeSource.handleRecentResourceUpdate(ResourceID.fromResource(written), written, previous);
    }
  }

  /** The policy an OSNode names, and every policy that selects its node now. */
  private Set<ResourceID> owners(OSNode osNode, EventSourceContext<OSUpdatePolicy> context) {
    Set<ResourceID> owners = new HashSet<>();
    if (osNode.getSpec() != null && osNode.getSpec().getPolicy() != null) {
      owners.add(new ResourceID(osNode.getSpec().getPolicy()));
    }
    if (nodeSource != null) {
      nodeSource
          .get(new ResourceID(osNode.getMetadata().getName()))
          .ifPresent(
              node ->
                  context
                      .getPrimaryCache()
                      .list()
                      .filter(
                          p ->
                              p.getSpec() != null
                                  && p.getSpec().getNodeSelector() != null
                                  && p.getSpec()
                                      .getNodeSelector()
                                      .matches(node.getMetadata().getLabels()))
                      .forEach(p -> owners.add(ResourceID.fromResource(p))));
    }
    return owners;
  }

  private static Set<ResourceID> allPolicies(EventSourceContext<OSUpdatePolicy> context) {
    return context
        .getPrimaryCache()
        .list()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  static <R extends HasMetadata> List<R> cached(InformerEventSource<R, OSUpdatePolicy> source) {
    return source.list().toList();
  }

  @Override
  @PreDestroy
  public void close() {
    if (drains != null) {
      drains.close();
    }
    if (driver != null) {
      driver.close();
    }
    if (events != null) {
      events.close();
    }
  }
}
