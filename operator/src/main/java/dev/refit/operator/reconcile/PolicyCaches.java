package dev.refit.operator.reconcile;

import dev.refit.api.Nodes;
import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.operator.act.DrainManager;
import dev.refit.operator.act.NodeDriver;
import dev.refit.operator.plan.Claims;
import dev.refit.operator.plan.HealthChecks;
import dev.refit.operator.plan.ModuleSources;
import dev.refit.operator.plan.Round;
import dev.refit.operator.plan.SpecJudge;
import dev.refit.operator.plan.SpecProblem;
import dev.refit.operator.plan.Windows;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The policy reconciler's event sources and caches: Nodes, OSNodes, the other policies and the
 * ConfigMaps of SELinux module sources, each an informer that also wakes the policies a change
 * concerns. It takes a round's {@link Observation} and keeps the caches in step with what the round
 * wrote, so the next round reads fresh.
 */
final class PolicyCaches implements NodeDriver.Written {

  static final String NODES = "nodes";
  static final String OS_NODES = "osnodes";
  static final String PEER_POLICIES = "peer-policies";

  private final ModuleConfigMaps configMaps;
  private final FreshReads<Node> freshNodes = new FreshReads<>();
  private final FreshReads<OSNode> freshOsNodes = new FreshReads<>();
  private InformerEventSource<Node, OSUpdatePolicy> nodeSource;
  private InformerEventSource<OSNode, OSUpdatePolicy> osNodeSource;
  private InformerEventSource<OSUpdatePolicy, OSUpdatePolicy> peers;

  /**
   * @param moduleNamespaces the namespaces whose ConfigMaps may hold SELinux module sources
   */
  PolicyCaches(Set<String> moduleNamespaces) {
    this.configMaps = new ModuleConfigMaps(moduleNamespaces);
  }

  /** The informers, each waking the policies its changes concern. */
  List<EventSource<?, OSUpdatePolicy>> eventSources(EventSourceContext<OSUpdatePolicy> context) {
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
    return List.of(nodeSource, osNodeSource, peers, configMaps.eventSource(context));
  }

  /** Everything the policy's round reads, taken once. */
  Observation observe(OSUpdatePolicy policy, Instant now, DrainManager drains) {
    String name = policy.getMetadata().getName();
    var spec = policy.getSpec();
    List<Node> nodes =
        nodeSource
            .list()
            .map(n -> freshNodes.fresher(n.getMetadata().getName(), n))
            .filter(n -> !freshNodes.goneFromServer(n))
            .toList();
    Claims claims = Claims.of(policies(policy), nodes);

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

    String lastRevision =
        policy.getStatus() == null ? null : policy.getStatus().getTargetRevision();
    ModuleSources.Target target =
        ModuleSources.target(spec, configMaps.read(spec), lastRevision, ours.values());
    List<SpecProblem> problems = new ArrayList<>(SpecJudge.judge(spec));
    problems.addAll(target.problems());

    // a spec without nodes or target (stored before admission required them) manages no node
    List<Node> claimed = SpecJudge.actionable(spec) ? claims.managedBy(name) : List.of();
    List<Round.NodeInput> managed =
        claimed.stream()
            // a node whose OSNode another policy still holds waits until that policy lets go
            .filter(
                n ->
                    !all.containsKey(n.getMetadata().getName())
                        || ours.containsKey(n.getMetadata().getName()))
            .map(
                n -> {
                  String node = n.getMetadata().getName();
                  var pods = drains.pods();
                  return new Round.NodeInput(
                      n,
                      ours.get(node),
                      drains.progress(node),
                      HealthChecks.healthy(
                          spec.getHealthCheck(), pods.synced(node) ? pods.pods(node) : null),
                      drains.blocker(node).orElse(null));
                })
            .toList();
    return new Observation(
        policy,
        now,
        nodes,
        claims,
        problems,
        target,
        ours,
        managed,
        Windows.at(spec == null ? null : spec.getSchedule(), now));
  }

  /**
   * Reads every Node from the API server, not the informer, and keeps what is newer than the cache
   * for the next {@link #observe}. A round that would take a node out of service asks first: the
   * informer may be seconds behind (a watch being re-established, a slow event stream), and a node
   * someone cordoned or that went NotReady in that time counts against {@code maxUnavailable}. The
   * server's Nodes are compared with the ones the round was planned from, not with the cache as it
   * is now: an informer that caught up after the round read it would hide a stale plan (chaos seed
   * 4: nodes the plan saw Ready on their old boot were taken to UpToDate and their slots given to
   * three others while the server had them out of service).
   *
   * <p>Nodes deleted or added since count as a difference too: they change which nodes the policy
   * manages, and with a percentage, its {@code maxUnavailable} (chaos seed 100: a view that still
   * had a deleted node allowed one node more than the server's fleet did).
   *
   * @param planned the observation the round was planned from
   * @return whether any Node's availability (cordon or Ready) differs from what the round saw, or
   *     the server has other Nodes
   */
  boolean confirmNodes(Observation planned, KubernetesClient client) {
    Map<String, Node> cached = new LinkedHashMap<>();
    planned.nodes().forEach(n -> cached.put(n.getMetadata().getName(), n));
    List<Node> server = serverNodes(client);
    boolean differs = !sameNodes(planned.nodes(), server);
    for (Node read : server) {
      Node known = cached.get(read.getMetadata().getName());
      if (known != null
          && (Nodes.ready(known) != Nodes.ready(read)
              || Nodes.unschedulable(known) != Nodes.unschedulable(read))) {
        differs = true;
      }
    }
    return differs;
  }

  /**
   * The policy as the API server has it now, or null when it is gone. A round that would take a
   * node out of service asks, as it asks for the Nodes: a person who just lowered {@code
   * maxUnavailable} or paused the rollout must not see a node started under the old spec because
   * the informer was behind ({@link #generation} tells whether the spec is newer).
   */
  static OSUpdatePolicy onServer(OSUpdatePolicy planned, KubernetesClient client) {
    return client.resources(OSUpdatePolicy.class).withName(planned.getMetadata().getName()).get();
  }

  /** The policy's {@code metadata.generation}: a higher one is a newer spec. */
  static long generation(OSUpdatePolicy policy) {
    Long generation = policy.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  /**
   * Whether none of the policy's managed nodes is less available on the API server (NotReady, or
   * cordoned by anyone) than in the view a round was planned from, and the server has the same
   * Nodes (none deleted or added since); keeps what it reads for the next {@link #observe}, as
   * {@link #confirmNodes} does. Asked when the round's first writes took long enough for the fleet
   * to change before the round takes a node out of service.
   *
   * @param starts the nodes the round itself takes out of service: once some of them are cordoned,
   *     that is no change to the view (a person's cordon of one that is not begun yet makes its
   *     cordon write fail, as it carries the Node's resourceVersion)
   */
  boolean stillAvailableAsSeen(Observation seen, KubernetesClient client, Set<String> starts) {
    Map<String, Node> planned = new LinkedHashMap<>();
    seen.managed().stream()
        .filter(n -> !starts.contains(n.name()))
        .forEach(n -> planned.put(n.name(), n.node()));
    List<Node> server = serverNodes(client);
    // a node deleted or added since changes the managed nodes, and a percentage's count
    boolean holds = sameNodes(seen.nodes(), server);
    for (Node read : server) {
      Node then = planned.get(read.getMetadata().getName());
      if (then != null && outOfService(read) && !outOfService(then)) {
        holds = false;
      }
    }
    return holds;
  }

  /**
   * Every Node as the API server has it now, each kept for the next {@link #observe}, and the
   * cached Nodes the server no longer has hidden from it.
   */
  private List<Node> serverNodes(KubernetesClient client) {
    NodeList list = client.nodes().list();
    List<Node> read = list.getItems();
    freshNodes.listed(
        read, list.getMetadata() == null ? null : list.getMetadata().getResourceVersion());
    return read;
  }

  /** Whether the server's Nodes are the same ones, by name, as the view's. */
  private static boolean sameNodes(List<Node> view, List<Node> server) {
    Set<String> seen = new HashSet<>();
    view.forEach(n -> seen.add(n.getMetadata().getName()));
    Set<String> read = new HashSet<>();
    server.forEach(n -> read.add(n.getMetadata().getName()));
    return seen.equals(read);
  }

  private static boolean outOfService(Node node) {
    return !Nodes.ready(node) || Nodes.unschedulable(node);
  }

  /** Forgets what this operator wrote to an OSNode it just deleted. */
  void deleted(String node) {
    freshOsNodes.deleted(node);
  }

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

  /**
   * Every policy, as the peer informer sees them (it is the one whose events wake a policy when
   * another changes), with this policy as the reconciler got it.
   */
  private List<OSUpdatePolicy> policies(OSUpdatePolicy self) {
    List<OSUpdatePolicy> all = new ArrayList<>();
    all.add(self);
    peers
        .list()
        .filter(p -> !p.getMetadata().getName().equals(self.getMetadata().getName()))
        .forEach(all::add);
    return all;
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
}
