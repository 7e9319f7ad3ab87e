package dev.refit.operator.testing;

import dev.refit.api.ActionState;
import dev.refit.api.Condition;
import dev.refit.api.NodeAction;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.RefitApi;
import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.testing.FakeNodes;
import dev.refit.testing.NodeFault;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A test double of the node-updater on every simulated host, speaking the OSNode protocol: it
 * stages on {@code Stage}, records the boot ID and reboots the fake kubelet on {@code Apply}, and
 * reports the new boot and revision once the node is back. Each host's disk (what runs, what is
 * staged) is kept apart from the agent's memory, so an agent restart loses nothing real.
 */
public final class FakeAgents implements AutoCloseable {

  /** What a host runs before any update. */
  public static final String ORIGINAL = "original-os";

  private final KubernetesClient client;
  private final FakeNodes nodes;
  private final long stageMillis;
  private final ScheduledExecutorService executor;
  private final Map<String, String> running = new ConcurrentHashMap<>();
  private final Map<String, String> staged = new ConcurrentHashMap<>();
  private final Set<String> failStage = ConcurrentHashMap.newKeySet();
  private final Set<String> live = ConcurrentHashMap.newKeySet();
  private final Set<String> silent = ConcurrentHashMap.newKeySet();
  private final Map<String, String[]> refusals = new ConcurrentHashMap<>();
  private final Set<String> badUpdates = ConcurrentHashMap.newKeySet();
  private final Set<String> noRollback = ConcurrentHashMap.newKeySet();
  private final Map<String, String> previous = new ConcurrentHashMap<>();
  private final Map<String, String> rollingBackTo = new ConcurrentHashMap<>();
  private final Map<String, List<String>> drift = new ConcurrentHashMap<>();
  private final Set<String> bottlerocket = ConcurrentHashMap.newKeySet();
  private final SharedIndexInformer<OSNode> osNodes;
  private final SharedIndexInformer<Node> nodeWatch;

  public FakeAgents(EmbeddedKubernetes api, FakeNodes nodes, long stageMillis) {
    this.client = api.newClient();
    this.nodes = nodes;
    this.stageMillis = stageMillis;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "fake-agents");
              thread.setDaemon(true);
              return thread;
            });
    osNodes = client.resources(OSNode.class).inform(handler(this::onOsNode), 0);
    nodeWatch =
        client
            .nodes()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Node node) {}

                  @Override
                  public void onUpdate(Node older, Node newer) {
                    if (!Objects.equals(bootId(older), bootId(newer))) {
                      executor.execute(() -> booted(newer.getMetadata().getName()));
                    }
                  }

                  @Override
                  public void onDelete(Node node, boolean unknown) {}
                },
                0);
  }

  /** Staging fails on this host, every time. */
  public FakeAgents failStaging(String node) {
    failStage.add(node);
    return this;
  }

  /** Updates of this host apply without a reboot. */
  public FakeAgents liveChanges(String node) {
    live.add(node);
    return this;
  }

  /**
   * The update is bad on this host: it boots it, but its kubelet never turns Ready; the OS it ran
   * before is fine, so a rollback brings it back.
   */
  public FakeAgents badUpdate(String node) {
    badUpdates.add(node);
    return this;
  }

  /** This host has no deployment to roll back to (as a Flatcar host has no rollback verb). */
  public FakeAgents cannotRollBack(String node) {
    noRollback.add(node);
    return this;
  }

  /** This host's agent is down: it reports nothing. */
  public FakeAgents silence(String node) {
    silent.add(node);
    return this;
  }

  /** This host's agent is back: it reports again and carries out what it was asked meanwhile. */
  public FakeAgents speak(String node) {
    silent.remove(node);
    executor.execute(() -> reread(node));
    return this;
  }

  /**
   * This host is not eligible (another agent would reboot it): its agent says so in the Eligible
   * condition and starts nothing, as the node-updater does.
   */
  public FakeAgents refuse(String node, String reason, String message) {
    refusals.put(node, new String[] {reason, message});
    executor.execute(() -> reread(node));
    return this;
  }

  /**
   * A Bottlerocket host: its agent reports the family and an SELinux policy it cannot change, and
   * takes OS updates like any other, as the node-updater's Bottlerocket backend does.
   */
  public FakeAgents bottlerocket(String node) {
    bottlerocket.add(node);
    executor.execute(() -> reread(node));
    return this;
  }

  /**
   * A person changed the host's SELinux state by hand: it still runs its OS, so its agent reports
   * the target ready (staged) but not in force, names what differs, and can bring it back live.
   */
  public FakeAgents driftSelinux(String node, String... differences) {
    executor.execute(
        () -> {
          String target = running(node);
          drift.put(node, List.of(differences));
          staged.put(node, target);
          running.put(node, "drifted-" + target);
          reread(node);
        });
    return this;
  }

  /** A person fixed the host: it is eligible again and its agent carries on. */
  public FakeAgents fix(String node) {
    refusals.remove(node);
    executor.execute(() -> reread(node));
    return this;
  }

  private void reread(String node) {
    OSNode current = osNodes.getStore().getByKey(node);
    if (current != null) {
      OSNodeStatus status = current.getStatus() == null ? new OSNodeStatus() : current.getStatus();
      write(node, report(node, status));
      onOsNode(osNodes.getStore().getByKey(node));
    }
  }

  /** What the host runs now. */
  public String running(String node) {
    return running.getOrDefault(node, ORIGINAL);
  }

  private ResourceEventHandler<OSNode> handler(java.util.function.Consumer<OSNode> action) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(OSNode o) {
        executor.execute(() -> action.accept(o));
      }

      @Override
      public void onUpdate(OSNode older, OSNode newer) {
        executor.execute(() -> action.accept(newer));
      }

      @Override
      public void onDelete(OSNode o, boolean unknown) {}
    };
  }

  private void onOsNode(OSNode osNode) {
    String node = osNode.getMetadata().getName();
    if (silent.contains(node)) {
      return;
    }
    OSNodeSpec spec = osNode.getSpec();
    OSNodeStatus status = osNode.getStatus() == null ? new OSNodeStatus() : osNode.getStatus();
    if (status.getBootId() == null) {
      write(node, report(node, status));
      return;
    }
    if (spec.getActionId() == null
        && status.getActionState() == ActionState.Running
        && status.getBootIdBeforeAction() != null
        && status.getBootIdBeforeAction().equals(nodes.bootId(node))) {
      // the operator withdrew a reboot that did not happen: settle it, as the real agent does once
      // its grace period is over, so the operator knows this host will not go down
      status.setActionState(ActionState.Failed);
      status.setLastError(
          new dev.refit.api.HostError(
              "InstructionWithdrawn", "the operator withdrew the instruction", null));
      write(node, report(node, status));
      return;
    }
    if (spec.getActionId() == null || spec.getActionId().equals(status.getObservedActionId())) {
      return;
    }
    if (refusals.containsKey(node)) {
      return;
    }
    if (spec.getAction() == NodeAction.Stage) {
      status.setObservedActionId(spec.getActionId());
      status.setActionState(ActionState.Running);
      write(node, status);
      String actionId = spec.getActionId();
      String revision = spec.getDesiredRevision();
      executor.schedule(
          () -> stageDone(node, actionId, revision), stageMillis, TimeUnit.MILLISECONDS);
    } else if (spec.getAction() == NodeAction.Apply) {
      status.setObservedActionId(spec.getActionId());
      if (live.contains(node) || drift.containsKey(node)) {
        running.put(node, staged.getOrDefault(node, spec.getDesiredRevision()));
        staged.remove(node);
        drift.remove(node);
        status.setActionState(ActionState.Succeeded);
        write(node, report(node, status));
        return;
      }
      status.setActionState(ActionState.Running);
      status.setBootIdBeforeAction(nodes.bootId(node));
      write(node, status); // the boot ID is on record before the reboot starts
      if (badUpdates.contains(node)) {
        nodes.inject(node, NodeFault.NEVER_READY);
      }
      nodes.reboot(node);
    } else if (spec.getAction() == NodeAction.Rollback) {
      status.setObservedActionId(spec.getActionId());
      if (noRollback.contains(node) || !previous.containsKey(node)) {
        status.setActionState(ActionState.Failed);
        status.setLastError(
            new dev.refit.api.HostError(
                "NoRollbackDeployment", "the host has no rollback deployment to boot", null));
        write(node, report(node, status));
        return;
      }
      status.setActionState(ActionState.Running);
      status.setBootIdBeforeAction(nodes.bootId(node));
      write(node, status);
      rollingBackTo.put(node, previous.get(node));
      // the OS it ran before is fine
      nodes.clearFaults(node);
      nodes.reboot(node);
    }
  }

  private void stageDone(String node, String actionId, String revision) {
    OSNode current = osNodes.getStore().getByKey(node);
    if (current == null || silent.contains(node)) {
      return;
    }
    OSNodeStatus status = current.getStatus();
    if (!actionId.equals(status.getObservedActionId())) {
      return;
    }
    if (failStage.contains(node)) {
      status.setActionState(ActionState.Failed);
      status.setLastError(new dev.refit.api.HostError("StageFailed", "registry unreachable", null));
    } else {
      staged.put(node, revision);
      status.setActionState(ActionState.Succeeded);
      status.setLastError(null);
    }
    write(node, report(node, status));
  }

  /** The host came back with a new boot ID: the staged revision now runs. */
  private void booted(String node) {
    OSNode current = osNodes.getStore().getByKey(node);
    if (current == null || silent.contains(node)) {
      return;
    }
    OSNodeStatus status = current.getStatus();
    if (status == null
        || status.getActionState() != ActionState.Running
        || status.getBootIdBeforeAction() == null) {
      return;
    }
    String back = rollingBackTo.remove(node);
    String next = back != null ? back : staged.remove(node);
    if (next != null) {
      if (back == null) {
        previous.put(node, running(node));
      }
      running.put(node, next);
    }
    status.setActionState(ActionState.Succeeded);
    write(node, report(node, status));
  }

  private OSNodeStatus report(String node, OSNodeStatus status) {
    String[] refusal = refusals.get(node);
    List<Condition> conditions = new ArrayList<>(status.getConditions());
    conditions.removeIf(c -> RefitApi.ELIGIBLE.equals(c.getType()));
    conditions.add(
        refusal == null
            ? new Condition(RefitApi.ELIGIBLE, Condition.Status.True, "HostEligible", "ok", null)
            : new Condition(
                RefitApi.ELIGIBLE, Condition.Status.False, refusal[0], refusal[1], null));
    status.setConditions(conditions);
    status.setBootId(nodes.bootId(node));
    status.setCurrentRevision(running(node));
    status.setStagedRevision(staged.get(node));
    status.setRebootPending(
        staged.containsKey(node) ? !(live.contains(node) || drift.containsKey(node)) : null);
    status.setSelinuxDrift(drift.getOrDefault(node, List.of()));
    if (bottlerocket.contains(node)) {
      status.setFamily(dev.refit.api.OSFamily.Bottlerocket);
      dev.refit.api.SELinuxStatus selinux = new dev.refit.api.SELinuxStatus();
      selinux.setMode("Enforcing");
      selinux.setConfigurable(false);
      status.setSelinux(selinux);
    }
    return status;
  }

  private void write(String node, OSNodeStatus status) {
    OSNode patch = new OSNode();
    patch.setMetadata(new ObjectMetaBuilder().withName(node).build());
    patch.setStatus(status);
    try {
      client.resource(patch).patchStatus();
    } catch (KubernetesClientException e) {
      // the OSNode was deleted meanwhile: nothing to report to
    }
  }

  private static String bootId(Node node) {
    return node.getStatus() == null || node.getStatus().getNodeInfo() == null
        ? null
        : node.getStatus().getNodeInfo().getBootID();
  }

  @Override
  public void close() {
    osNodes.close();
    nodeWatch.close();
    executor.shutdownNow();
    client.close();
  }
}
