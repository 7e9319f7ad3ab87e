package dev.refit.updater.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ActionState;
import dev.refit.api.ConfigMapKeyRef;
import dev.refit.api.NodeAction;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.OSTarget;
import dev.refit.api.Revisions;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.backend.fake.FakeBackend;
import dev.refit.updater.backend.fake.FakeHost;
import dev.refit.updater.backend.fake.FakeMachine;
import dev.refit.updater.host.HostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A module whose CIL lives in a ConfigMap: the agent judges the installed module by the digest in
 * its work order, reads the ConfigMap only to install, and installs only the CIL that digest names.
 */
class NodeAgentModuleSourceTest {

  static final String VERSION = "41.20250101.3.0";
  static final String MODULE = "refit_mounts";
  static final String CIL = "(allow container_t mnt_t (dir (search)))\n";
  static final String EDITED = CIL + "(allow container_t mnt_t (dir (read)))\n";

  final ManualClock clock = new ManualClock();
  final MemoryApi api = new MemoryApi("worker-1");
  final FakeBackend backend =
      new FakeBackend(
          new FakeHost(
              OSFamily.FedoraCoreOS,
              FakeHost.deploymentOf(OSTarget.version(VERSION)),
              FakeMachine.inMemory("worker-1"),
              clock));
  final ConfigMap configMap = new ConfigMap();
  final NodeAgent agent =
      new NodeAgent(
          "worker-1",
          backend,
          api,
          configMap,
          new InertExecutor(),
          clock,
          new AgentSettings(
              Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofSeconds(1), 3),
          AgentMetrics.NONE);

  /** The ConfigMap as the agent reads it: its value now, and how often it was read. */
  static final class ConfigMap implements ModuleSources {
    volatile String value;
    volatile int reads;

    @Override
    public String cil(SELinuxModule module) throws HostException {
      reads++;
      if (value == null) {
        throw new HostException(
            "ModuleSourceUnavailable", "ConfigMap " + module.getConfigMapRef() + " does not exist");
      }
      return value;
    }
  }

  @Test
  void aSourceEditedAfterTheOperatorReadItIsNotInstalledAndTheInstructionWaitsUnfailed()
      throws HostException {
    configMap.value = EDITED;
    api.instruct(order(CIL, NodeAction.Apply, "a1"));

    OSNodeStatus waiting = step(3);

    assertThat(waiting.getObservedActionId()).isEqualTo("a1");
    assertThat(waiting.getActionState()).isEqualTo(ActionState.Running);
    assertThat(waiting.getLastError().getReason()).isEqualTo(ModuleSourceCheck.SOURCE_CHANGED);
    assertThat(waiting.getLastError().getMessage())
        .contains("SELinux module " + MODULE)
        .contains(Revisions.moduleDigest(EDITED))
        .contains("not " + Revisions.moduleDigest(CIL))
        .contains("it changed after the operator read it, so it is not installed");
    assertThat(installed()).isNull();
    assertThat(waiting.getCurrentRevision()).isNotEqualTo(revision(CIL));

    // the operator saw the edit too: its next revision declares the new digest
    api.instruct(order(EDITED, NodeAction.Apply, "a2"));
    OSNodeStatus applied = step(1);

    assertThat(applied.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(applied.getCurrentRevision()).isEqualTo(revision(EDITED));
    assertThat(installed().digest()).isEqualTo(Revisions.moduleDigest(EDITED));
  }

  @Test
  void anInstalledModuleIsAppliedWithoutReadingItsSourceEvenOnceTheConfigMapIsGone() {
    configMap.value = CIL;
    api.instruct(order(CIL, NodeAction.Apply, "a1"));
    assertThat(step(1).getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(configMap.reads).isEqualTo(1);

    configMap.value = null;
    configMap.reads = 0;
    clock.advance(Duration.ofMinutes(30));
    OSNodeStatus refreshed = step(3);
    api.instruct(order(CIL, NodeAction.Stage, "s2"));
    OSNodeStatus staged = step(1);

    assertThat(configMap.reads).as("reads of the ConfigMap").isZero();
    assertThat(refreshed.getCurrentRevision()).isEqualTo(revision(CIL));
    assertThat(refreshed.getLastError()).isNull();
    assertThat(staged.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(staged.getCurrentRevision()).isEqualTo(revision(CIL));
  }

  @Test
  void aSourceThatCannotBeReadWhenItMustBeInstalledLeavesTheInstructionRunning() {
    api.instruct(order(CIL, NodeAction.Apply, "a1"));

    OSNodeStatus waiting = step(3);

    assertThat(waiting.getActionState()).isEqualTo(ActionState.Running);
    assertThat(waiting.getLastError().getReason()).isEqualTo("ModuleSourceUnavailable");

    configMap.value = CIL;
    OSNodeStatus applied = step(1);
    assertThat(applied.getActionState()).isEqualTo(ActionState.Succeeded);
    assertThat(applied.getCurrentRevision()).isEqualTo(revision(CIL));
  }

  private OSNodeStatus step(int times) {
    for (int i = 0; i < times; i++) {
      agent.onOsNode(api.get());
      agent.stepNow();
      clock.advance(Duration.ofSeconds(1));
    }
    return api.status();
  }

  private dev.refit.updater.selinux.SelinuxFacts.InstalledModule installed() throws HostException {
    return backend.facts().selinux().modules().get(MODULE);
  }

  private static OSNodeSpec order(String cil, NodeAction action, String actionId) {
    OSNodeSpec spec = new OSNodeSpec();
    spec.setPolicy("workers");
    spec.setOs(OSTarget.version(VERSION));
    spec.setSelinux(selinux());
    spec.setModuleDigests(Map.of(MODULE, Revisions.moduleDigest(cil)));
    spec.setDesiredRevision(revision(cil));
    spec.setAction(action);
    spec.setActionId(actionId);
    return spec;
  }

  private static String revision(String cil) {
    return Revisions.of(OSTarget.version(VERSION), selinux(), Map.of(MODULE, cil));
  }

  private static SELinuxPolicy selinux() {
    SELinuxModule module = new SELinuxModule();
    module.setName(MODULE);
    module.setConfigMapRef(new ConfigMapKeyRef("refit-system", "selinux-modules", "mounts.cil"));
    SELinuxPolicy policy = new SELinuxPolicy();
    policy.setModules(List.of(module));
    return policy;
  }
}
