package dev.refit.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.operator.testing.Fixtures;
import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status writer judges "unchanged" against what it last wrote, not against a cached policy that
 * may not show that write yet: a round that composes the status the cache still holds must write
 * it, for the server holds the newer one (a drifted node put back read as "updating" for good).
 */
class StatusWriterStaleCacheTest {

  private final EmbeddedKubernetes api = EmbeddedKubernetes.start();
  private final KubernetesClient client = api.newClient();

  @AfterEach
  void stop() {
    client.close();
    api.close();
  }

  @Test
  void aStatusEqualToTheCachedOneIsWrittenWhenTheServerHoldsANewerWrite() {
    OSUpdatePolicy created =
        client.resource(Fixtures.policy("workers", Map.of("pool", "a"), "41.1")).create();
    StatusWriter writer = new StatusWriter();
    OSUpdatePolicyStatus complete = status("4/4");
    OSUpdatePolicyStatus updating = status("3/4");
    assertThat(writer.write(client, created, complete)).isTrue();
    OSUpdatePolicy cached = client.resources(OSUpdatePolicy.class).withName("workers").get();

    // the next round writes "updating"; the one after it is handed the cache, still at "complete"
    assertThat(writer.write(client, cached, updating)).isTrue();
    assertThat(writer.write(client, cached, complete)).isTrue();

    assertThat(
            client
                .resources(OSUpdatePolicy.class)
                .withName("workers")
                .get()
                .getStatus()
                .getProgress())
        .isEqualTo("4/4");
    assertThat(writer.write(client, cached, complete)).as("now unchanged").isFalse();
  }

  private static OSUpdatePolicyStatus status(String progress) {
    OSUpdatePolicyStatus status = new OSUpdatePolicyStatus();
    status.setProgress(progress);
    status.setObservedGeneration(1L);
    return status;
  }
}
