package dev.refit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.refit.testing.ApiFaults.Kind;
import dev.refit.testing.ApiFaults.Mix;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The faults reach the client's code, and the harness knows which did: what it counts as reaching
 * the client is exactly what a client with three retries saw fail, and the rest its retries
 * absorbed; closed watches and 410s on re-watch are followed by the informer's re-watch or re-list,
 * after which it still sees every change.
 */
class ApiFaultsTest {

  private static final String CLIENT = "refit-chaos-probe";

  private EmbeddedKubernetes api;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    api = EmbeddedKubernetes.start();
    api.client().resource(configMap("watched", "0")).create();
    client = api.newClient(CLIENT);
  }

  @AfterEach
  void stop() {
    client.close();
    api.close();
  }

  @Test
  void retriedFaultsReachTheClientsCodeExactlyWhenTheyOutlastItsRetries() {
    api.faults().inject(new Mix(0.5, 0, 0.1, 0, 0, 0, 3, 0), CLIENT, 7);
    int failed = 0;
    for (int i = 0; i < 40; i++) {
      try {
        client.configMaps().withName("watched").get();
      } catch (KubernetesClientException e) {
        assertThat(e.getCode()).isIn(500, 503, 504);
        failed++;
      }
    }
    ApiFaults.Counts counts = api.faults().counts();
    assertThat(failed).as("operations that failed for the client").isPositive();
    assertThat(counts.reachedClient()).isEqualTo(failed);
    assertThat(counts.absorbed()).as("streaks the retries absorbed").isPositive();
    assertThat(counts.injectedTotal()).isGreaterThan(failed);
  }

  @Test
  void aWriteHeldBackByFaultsTellsWhenItWasFirstTried() {
    java.time.Instant before = java.time.Instant.now();
    api.faults().inject(new Mix(1.0, 0, 0, 0, 0, 0, 3, 0), CLIENT, 7);
    java.time.Instant landed = null;
    for (int i = 0; i < 10 && landed == null; i++) {
      try {
        client.configMaps().resource(configMap("watched", "v" + i)).update();
        landed = java.time.Instant.now();
      } catch (KubernetesClientException e) {
        assertThat(e.getCode()).isIn(500, 503);
      }
    }
    assertThat(landed).as("a write the retries got through").isNotNull();

    java.time.Instant firstTried = api.faults().firstTriedOfHeldBack("watched", before);
    assertThat(firstTried).isAfterOrEqualTo(before).isBefore(landed);
    assertThat(api.faults().firstTriedOfHeldBack("watched", landed)).isNull();
    assertThat(api.faults().firstTriedOfHeldBack("other", before)).isNull();
  }

  @Test
  void aConflictOnAWriteReachesTheClientAtOnceAndReadsAreNeverConflicts() {
    api.faults().inject(new Mix(0, 0, 0, 1.0, 0, 0, 3, 0), CLIENT, 7);
    assertThat(client.configMaps().withName("watched").get()).isNotNull();
    try {
      client.configMaps().resource(configMap("watched", "1")).update();
      throw new AssertionError("the update was not refused");
    } catch (KubernetesClientException e) {
      assertThat(e.getCode()).isEqualTo(409);
      assertThat(e.getMessage()).contains("the object has been modified");
    }
    assertThat(api.faults().counts().reachedClient()).isEqualTo(1);
    assertThat(api.faults().counts().injected()).containsOnlyKeys(Kind.CONFLICT);
  }

  @Test
  void anInformerWatchesAgainAfterItsWatchIsClosedOrItsReWatchIsGone() {
    Map<String, String> seen = new ConcurrentHashMap<>();
    SharedIndexInformer<ConfigMap> informer =
        client.configMaps().inNamespace("default").inform(recordInto(seen), 0);
    await().atMost(Duration.ofSeconds(5)).until(() -> "0".equals(seen.get("watched")));
    api.faults().inject(new Mix(0, 0, 0, 0, 1.0, 1.0, 3, 0), CLIENT, 7);
    // any request of the client may close its watch; a GET is one
    client.configMaps().withName("watched").get();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.faults().counts().injected().containsKey(Kind.GONE));
    api.faults().stop();
    Set<Kind> kinds = api.faults().counts().injected().keySet();
    assertThat(kinds).contains(Kind.WATCH_CLOSED, Kind.GONE);

    api.client().configMaps().resource(configMap("watched", "2")).update();
    await().atMost(Duration.ofSeconds(15)).until(() -> "2".equals(seen.get("watched")));
    informer.close();
  }

  @Test
  void anInformerThatWatchesAgainLearnsOfWhatWasDeletedWhileItsWatchWasDown() {
    api.client().resource(configMap("deleted-meanwhile", "0")).create();
    SharedIndexInformer<ConfigMap> informer =
        client.configMaps().inNamespace("default").inform(recordInto(new ConcurrentHashMap<>()), 0);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> informer.getStore().getByKey("default/deleted-meanwhile") != null);

    api.severWatches(CLIENT, "configmaps");
    api.client().configMaps().withName("deleted-meanwhile").delete();
    api.client().resource(configMap("added-meanwhile", "0")).create();
    api.restoreWatches();

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> informer.getStore().getByKey("default/added-meanwhile") != null);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> informer.getStore().getByKey("default/deleted-meanwhile") == null);
    informer.close();
  }

  private static ResourceEventHandler<ConfigMap> recordInto(Map<String, String> seen) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(ConfigMap map) {
        seen.put(map.getMetadata().getName(), map.getData().get("v"));
      }

      @Override
      public void onUpdate(ConfigMap older, ConfigMap newer) {
        onAdd(newer);
      }

      @Override
      public void onDelete(ConfigMap map, boolean unknown) {}
    };
  }

  private static ConfigMap configMap(String name, String value) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withData(Map.of("v", value))
        .build();
  }
}
