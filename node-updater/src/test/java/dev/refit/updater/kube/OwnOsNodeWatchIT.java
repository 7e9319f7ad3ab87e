package dev.refit.updater.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.refit.api.ActionState;
import dev.refit.api.HostError;
import dev.refit.api.NodeAction;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.OSTarget;
import dev.refit.api.Revisions;
import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.updater.JdkClients;
import dev.refit.updater.agent.AgentMetrics;
import dev.refit.updater.agent.AgentSettings;
import dev.refit.updater.agent.ModuleSources;
import dev.refit.updater.agent.NodeAgent;
import dev.refit.updater.backend.fake.FakeBackend;
import dev.refit.updater.backend.fake.FakeHost;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's Kubernetes layer against the embedded API, on the agent's JDK HTTP transport. */
class OwnOsNodeWatchIT {

  final EmbeddedKubernetes api = EmbeddedKubernetes.start();
  final KubernetesClient client = JdkClients.of(api);
  final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    executor.shutdownNow();
    client.close();
    api.close();
  }

  OSNode osNode(String name, NodeAction action, String actionId) {
    OSNode o = new OSNode();
    o.setMetadata(new ObjectMetaBuilder().withName(name).build());
    OSNodeSpec spec = new OSNodeSpec();
    spec.setPolicy("workers");
    spec.setOs(OSTarget.version("41.20250101.3.0"));
    spec.setDesiredRevision(Revisions.of(spec.getOs(), null));
    spec.setAction(action);
    spec.setActionId(actionId);
    o.setSpec(spec);
    return o;
  }

  OSNode get(String name) {
    return api.client().resources(OSNode.class).withName(name).get();
  }

  NodeAgent agent(String name, FakeHost host) {
    return new NodeAgent(
            name,
            new FakeBackend(host),
            new StatusPatcher(client),
            ModuleSources.inlineOnly(),
            executor,
            Clock.systemUTC(),
            AgentSettings.defaults(),
            AgentMetrics.NONE)
        .start();
  }

  @Test
  void theAgentSeesOnlyItsOwnOsNodeAndWritesOnlyItsStatus() {
    api.client().resource(osNode("worker-1", NodeAction.None, null)).create();
    api.client().resource(osNode("worker-2", NodeAction.Stage, "rev-stage-0")).create();
    NodeAgent agent = agent("worker-1", FakeHost.running("worker-1", "40.20241201.3.0"));

    try (OwnOsNodeWatch watch = new OwnOsNodeWatch(client, "worker-1", agent)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> get("worker-1").getStatus() != null);

      assertThat(get("worker-1").getStatus().getFamily()).isEqualTo(OSFamily.FedoraCoreOS);
      assertThat(get("worker-2").getStatus())
          .satisfiesAnyOf(s -> assertThat(s).isNull(), s -> assertThat(s.getFamily()).isNull());
      assertThat(watch.watching()).isTrue();
    }
  }

  @Test
  void aStageInstructionIsCarriedOutAndReportedThroughTheApi() {
    api.client().resource(osNode("worker-1", NodeAction.Stage, "rev-stage-0")).create();
    FakeHost host =
        FakeHost.running("worker-1", "40.20241201.3.0").stageDuration(Duration.ofMillis(300));
    NodeAgent agent = agent("worker-1", host);

    try (OwnOsNodeWatch watch = new OwnOsNodeWatch(client, "worker-1", agent)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get("worker-1").getStatus().getActionState() == ActionState.Succeeded);

      OSNodeStatus status = get("worker-1").getStatus();
      assertThat(status.getObservedActionId()).isEqualTo("rev-stage-0");
      assertThat(status.getStagedRevision())
          .isEqualTo(get("worker-1").getSpec().getDesiredRevision());
      assertThat(status.getRebootPending()).isTrue();
    }
  }

  @Test
  void aMergePatchOfTheStatusRemovesFieldsTheAgentNoLongerReports() {
    OSNode created = api.client().resource(osNode("worker-1", NodeAction.None, null)).create();
    StatusPatcher patcher = new StatusPatcher(client);
    OSNodeStatus failed = new OSNodeStatus();
    failed.setActionState(ActionState.Failed);
    failed.setLastError(new HostError("CommandFailed", "rpm-ostree rebase: exit 1", null));
    patcher.write(created, failed);

    OSNodeStatus recovered = new OSNodeStatus();
    recovered.setActionState(ActionState.Succeeded);
    OSNode written = patcher.write(created, recovered);

    assertThat(written.getStatus().getLastError()).isNull();
    assertThat(get("worker-1").getStatus().getLastError()).isNull();
    assertThat(get("worker-1").getSpec().getPolicy()).isEqualTo("workers");
  }

  @Test
  void anIdleAgentMakesNoRequests() throws InterruptedException {
    api.client().resource(osNode("worker-1", NodeAction.None, null)).create();
    NodeAgent agent = agent("worker-1", FakeHost.running("worker-1", "40.20241201.3.0"));
    try (OwnOsNodeWatch watch = new OwnOsNodeWatch(client, "worker-1", agent)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> get("worker-1").getStatus() != null);
      Thread.sleep(500);
      long before = api.requests().total();

      Thread.sleep(3000);

      assertThat(api.requests().total() - before).isZero();
    }
  }
}
