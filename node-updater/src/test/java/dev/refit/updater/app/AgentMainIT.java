package dev.refit.updater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.refit.api.ActionState;
import dev.refit.api.NodeAction;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSTarget;
import dev.refit.api.Revisions;
import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.updater.JdkClients;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent as {@link AgentMain} wires it (JDK transport, health, metrics, fake host) against
 * the embedded API: it reports, becomes ready, carries out an instruction and counts its steps.
 */
class AgentMainIT {

  final EmbeddedKubernetes api = EmbeddedKubernetes.start();
  final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dirs;

  @AfterEach
  void stop() {
    api.close();
  }

  OSNode osNode(String name) {
    OSNode o = new OSNode();
    o.setMetadata(new ObjectMetaBuilder().withName(name).build());
    OSNodeSpec spec = new OSNodeSpec();
    spec.setPolicy("workers");
    spec.setOs(OSTarget.version("41.20250101.3.0"));
    spec.setDesiredRevision(Revisions.of(spec.getOs(), null));
    spec.setAction(NodeAction.None);
    o.setSpec(spec);
    return o;
  }

  OSNode get(String name) {
    return api.client().resources(OSNode.class).withName(name).get();
  }

  AgentConfig config(String node) {
    return new AgentConfig(
        node,
        "direct",
        "/host",
        dirs.resolve("run").toString(),
        dirs.resolve("state").toString(),
        "fake",
        Duration.ofMinutes(10),
        Duration.ofMinutes(10),
        0);
  }

  HttpResponse<String> get(AgentMain.Running agent, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theAgentReportsBecomesReadyCarriesOutAnInstructionAndCountsItsSteps() throws Exception {
    api.client().resource(osNode("worker-1")).create();
    api.client().resource(osNode("worker-2")).create();

    try (AgentMain.Running agent = AgentMain.start(config("worker-1"), JdkClients.of(api))) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  get("worker-1").getStatus() != null
                      && get("worker-1").getStatus().getFamily() != null);
      assertThat(get("worker-1").getStatus().getFamily()).isEqualTo(OSFamily.FedoraCoreOS);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> get(agent, "/q/health/ready").statusCode() == 200);

      api.client()
          .resources(OSNode.class)
          .withName("worker-1")
          .edit(
              o -> {
                o.getSpec().setAction(NodeAction.Stage);
                o.getSpec().setActionId("rev-stage-1");
                return o;
              });
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> get("worker-1").getStatus().getActionState() == ActionState.Succeeded);

      assertThat(get("worker-1").getStatus().getObservedActionId()).isEqualTo("rev-stage-1");
      assertThat(get("worker-1").getStatus().getStagedRevision())
          .isEqualTo(get("worker-1").getSpec().getDesiredRevision());
      assertThat(get("worker-2").getStatus())
          .satisfiesAnyOf(
              status -> assertThat(status).isNull(),
              status -> assertThat(status.getFamily()).isNull());
      assertThat(get(agent, "/q/metrics").body())
          .contains("refit_agent_steps_total{action=\"None\",outcome=\"reported\",}")
          .contains("refit_agent_steps_total{action=\"Stage\",outcome=\"succeeded\",} 1.0");
    }
  }

  @Test
  void withoutANodeNameTheAgentDoesNotStart() {
    assertThatThrownBy(() -> AgentMain.start(config(""), JdkClients.of(api)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NODE_NAME");
  }
}
