package dev.refit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watches with selectors get exactly their objects' events: the objects that match when the watch
 * opens (now sent from the store index), then ADDED, MODIFIED and DELETED as objects enter, change
 * in and leave the selection.
 */
class SelectorWatchTest {

  private EmbeddedKubernetes api;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    api = EmbeddedKubernetes.start();
    client = api.client();
    for (String name : List.of("one", "two", "three")) {
      client.resource(configMap(name, "two".equals(name) ? "db" : "web")).create();
    }
    client.resource(configMap("elsewhere", "web")).inNamespace("other").create();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aLabelSelectorWatchFollowsObjectsIntoAndOutOfTheSelection() {
    List<String> events = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client.configMaps().inNamespace("default").withLabel("app", "web").watch(record(events))) {
      await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
      assertThat(events).containsExactly("ADDED one", "ADDED three");

      client.configMaps().withName("two").edit(c -> withApp(c, "web"));
      client.configMaps().withName("one").edit(c -> withApp(c, "db"));
      client.configMaps().withName("three").edit(c -> withData(c, "changed"));
      client.configMaps().withName("three").delete();
      client.configMaps().withName("one").delete(); // no longer selected: no event

      await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 6);
      assertThat(events)
          .containsExactly(
              "ADDED one",
              "ADDED three",
              "ADDED two",
              "DELETED one",
              "MODIFIED three",
              "DELETED three");
    }
  }

  @Test
  void aWatchByNameSeesOnlyThatObject() {
    List<String> events = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client.configMaps().inNamespace("default").withName("two").watch(record(events))) {
      client.configMaps().withName("one").edit(c -> withData(c, "changed"));
      client.configMaps().withName("two").edit(c -> withData(c, "changed"));

      await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
      assertThat(events).containsExactly("ADDED two", "MODIFIED two");
    }
  }

  @Test
  void aWatchInAllNamespacesReplaysThemAll() {
    List<String> events = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client.configMaps().inAnyNamespace().withLabel("app", "web").watch(record(events))) {
      await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 3);
      assertThat(events).containsExactly("ADDED one", "ADDED three", "ADDED elsewhere");
    }
  }

  private static Watcher<ConfigMap> record(List<String> events) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, ConfigMap configMap) {
        events.add(action + " " + configMap.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  private static ConfigMap configMap(String name, String app) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of("app", app))
        .endMetadata()
        .withData(Map.of("k", "v"))
        .build();
  }

  private static ConfigMap withApp(ConfigMap configMap, String app) {
    configMap.getMetadata().setLabels(Map.of("app", app));
    return configMap;
  }

  private static ConfigMap withData(ConfigMap configMap, String value) {
    configMap.setData(Map.of("k", value));
    return configMap;
  }
}
