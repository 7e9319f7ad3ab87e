package dev.refit.sim;

import dev.refit.api.HostDeployment;
import dev.refit.api.OSTarget;
import dev.refit.sim.Scenario.Fault;
import dev.refit.sim.Scenario.NodeGroup;
import dev.refit.sim.Scenario.WorkloadSpec;
import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.testing.FakeNodes;
import dev.refit.testing.FakeWorkloads;
import dev.refit.testing.HarnessTiming;
import dev.refit.testing.NodeFault;
import dev.refit.testing.Workload;
import dev.refit.updater.backend.fake.FakeHost;
import dev.refit.updater.selinux.HostSelinuxMode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated cluster of one scenario: the embedded API, a fake kubelet per node, workloads with
 * their budgets, and the real node-updater agent on every host.
 */
final class SimulatedFleet implements AutoCloseable {

  final EmbeddedKubernetes api;
  final FakeNodes nodes;
  final FakeWorkloads workloads;
  final PodHomes podHomes;

  /** The snapshot's workloads, where it has one (else null). */
  final SimulatedWorkloads snapshotWorkloads;

  final Map<String, FakeHost> hosts = new java.util.concurrent.ConcurrentSkipListMap<>();
  private final Scenario.Timing timing;
  private final Map<String, String> groupOf = new LinkedHashMap<>();
  private SimulatedAgents agents;

  SimulatedFleet(Scenario scenario) {
    api = EmbeddedKubernetes.start();
    Scenario.Timing timing = scenario.timing();
    nodes =
        new FakeNodes(
            api,
            new HarnessTiming(1.0, millis(timing.rebootSeconds()), millis(timing.readySeconds())));
    workloads = new FakeWorkloads(api);
    podHomes = new PodHomes(api);
    this.timing = timing;
    for (NodeGroup group : scenario.nodes()) {
      addGroup(group);
    }
    FleetSnapshot snapshot = scenario.snapshot();
    if (snapshot == null) {
      snapshotWorkloads = null;
      for (WorkloadSpec spec : scenario.workloads()) {
        workloads.define(workload(spec));
      }
    } else {
      snapshot.nodeObjects.forEach(this::takeOverSchedulingFacts);
      snapshotWorkloads = new SimulatedWorkloads(api);
      snapshotWorkloads.define(snapshot.workloads, snapshot.budgets, FleetSnapshot.START_SECONDS);
    }
    for (Fault fault : scenario.faults()) {
      applyNodeFault(fault);
    }
  }

  /** Adds the group's nodes with their hosts (each running what the group says). */
  private void addGroup(NodeGroup group) {
    for (String name : group.names()) {
      if (hosts.containsKey(name)) {
        throw new IllegalArgumentException("node " + name + " is in the cluster already");
      }
      nodes.add(name, group.labels());
      if (Boolean.TRUE.equals(group.cordoned())) {
        api.client()
            .nodes()
            .withName(name)
            .edit(
                n -> {
                  n.getSpec().setUnschedulable(true);
                  return n;
                });
      }
      if (Boolean.TRUE.equals(group.notReady())) {
        nodes.setReady(name, false);
      }
      groupOf.put(name, group.name() != null ? group.name() : group.prefix());
      OSTarget running =
          group.os().image() != null
              ? OSTarget.image(group.os().image())
              : OSTarget.version(group.os().version());
      hosts.put(
          name,
          new FakeHost(
                  group.os().family(),
                  FakeHost.deploymentOf(running),
                  new KubeletMachine(nodes, name),
                  Clock.systemUTC())
              .stageDuration(Duration.ofMillis(millis(timing.stageSeconds())))
              .withSelinuxMode(selinuxMode(group)));
    }
  }

  /** The SELinux mode a group's hosts start in (checked when the scenario was read). */
  private static HostSelinuxMode selinuxMode(NodeGroup group) {
    if (group.selinux() == null || group.selinux().mode() == null) {
      return HostSelinuxMode.ENFORCING;
    }
    return HostSelinuxMode.fromText(group.selinux().mode()).orElseThrow();
  }

  /** Nodes join the running cluster, each with its host and agent. */
  void join(NodeGroup group) {
    addGroup(group);
    if (agents != null) {
      group.names().forEach(agents::add);
    }
  }

  /** A node leaves the cluster, as a cloud scales it in: Node, pods, host and agent go. */
  void remove(String node) {
    requireNode(node);
    // the agent goes first: it must not read a host that is gone
    if (agents != null) {
      agents.stop(node);
    }
    hosts.remove(node);
    nodes.remove(node);
  }

  /** Restarts the agent of this node (a new process: nothing it knew survives). */
  void restartAgent(String node) {
    requireNode(node);
    agents.restart(node);
  }

  /**
   * A person's hand-made SELinux change on each of its hosts; returns what was not done (a host the
   * scenario does not have, a fixed policy, a tool's refusal), or null when all were.
   */
  String changeSelinuxByHand(SelinuxChange change) {
    List<String> notDone = new ArrayList<>();
    for (String node : change.nodes()) {
      FakeHost host = hosts.get(node);
      if (host == null) {
        notDone.add(node + ": no such node in the cluster");
      } else if (!host.family().selinuxConfigurable()) {
        notDone.add(node + ": " + host.family() + " fixes its SELinux policy");
      } else {
        change.applyTo(host.selinux()).ifPresent(refusal -> notDone.add(node + ": " + refusal));
      }
    }
    return notDone.isEmpty() ? null : "not done on " + String.join("; ", notDone);
  }

  private void requireNode(String node) {
    if (!hosts.containsKey(node)) {
      throw new IllegalArgumentException("no node " + node + " in the cluster");
    }
  }

  /** The node's taints and allocatable resources, as the snapshot has them, for the scheduler. */
  private void takeOverSchedulingFacts(Node real) {
    Map<String, Object> spec = new LinkedHashMap<>();
    if (real.getSpec() != null && real.getSpec().getTaints() != null) {
      spec.put("taints", real.getSpec().getTaints());
    }
    if (!spec.isEmpty()) {
      api.client()
          .nodes()
          .withName(real.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("spec", spec)));
    }
    if (real.getStatus() != null && real.getStatus().getAllocatable() != null) {
      Map<String, Object> resources =
          Map.of(
              "allocatable",
              real.getStatus().getAllocatable(),
              "capacity",
              real.getStatus().getCapacity() == null
                  ? real.getStatus().getAllocatable()
                  : real.getStatus().getCapacity());
      api.client()
          .nodes()
          .withName(real.getMetadata().getName())
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              Serialization.asJson(Map.of("status", resources)));
    }
  }

  static Workload workload(WorkloadSpec spec) {
    Workload workload =
        Workload.named(spec.name())
            .inNamespace(spec.namespace())
            .withReplicas(spec.replicas())
            .withNodeSelector(spec.nodeSelector())
            .withTerminationGraceSeconds(Math.max(0, Math.round(spec.terminationSeconds())))
            .withStartDelayMillis(millis(spec.startSeconds()));
    if (spec.pdb() != null) {
      workload =
          workload.withBudget(
              new Workload.Budget(spec.pdb().minAvailable(), spec.pdb().maxUnavailable()));
    }
    return workload;
  }

  private void applyNodeFault(Fault fault) {
    if (fault.node() == null) {
      return;
    }
    if (!hosts.containsKey(fault.node())) {
      throw new IllegalArgumentException(
          "fault for node " + fault.node() + ", which the scenario does not have");
    }
    if (Boolean.TRUE.equals(fault.failStage())) {
      hosts.get(fault.node()).failStaging("simulated: the registry refuses the download");
    }
    if (Boolean.TRUE.equals(fault.neverReady())) {
      nodes.inject(fault.node(), NodeFault.NEVER_READY);
    }
    if (Boolean.TRUE.equals(fault.neverReboot())) {
      nodes.inject(fault.node(), NodeFault.NEVER_REBOOT);
    }
    if (Boolean.TRUE.equals(fault.badUpdate())) {
      FakeHost host = hosts.get(fault.node());
      HostDeployment first = host.booted();
      nodes.brokenAfterBootWhen(fault.node(), () -> !first.equals(host.booted()));
    }
  }

  /** Starts the agents on every host. */
  void startAgents() {
    // agents mostly wait on the API: a thread per 25 agents, 4 to 32
    agents = new SimulatedAgents(api, hosts, Math.max(4, Math.min(32, hosts.size() / 25))).start();
  }

  List<String> nodeNames() {
    return List.copyOf(hosts.keySet());
  }

  static long millis(double seconds) {
    return Math.round(seconds * 1000);
  }

  @Override
  public void close() {
    if (agents != null) {
      agents.close();
    }
    if (snapshotWorkloads != null) {
      snapshotWorkloads.close();
    }
    workloads.close();
    podHomes.close();
    nodes.close();
    api.close();
  }
}
