package dev.refit.testing;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** Pods, budgets and raw requests for tests that do not need the fakes. */
final class TestPods {

  /** An HTTP answer exactly as the API sent it. */
  record Answer(int code, String body) {}

  private TestPods() {}

  /** A Running pod bound to {@code node}, created in namespace {@code default}. */
  static Pod create(
      KubernetesClient client,
      String name,
      Map<String, String> labels,
      String node,
      boolean ready) {
    return create(client, name, labels, node, ready, null);
  }

  /** The same, owned (as controller) by {@code owner}. */
  static Pod create(
      KubernetesClient client,
      String name,
      Map<String, String> labels,
      String node,
      boolean ready,
      ReplicaSet owner) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .withLabels(labels)
            .withOwnerReferences(
                owner == null
                    ? List.<OwnerReference>of()
                    : List.of(
                        new OwnerReferenceBuilder()
                            .withApiVersion("apps/v1")
                            .withKind("ReplicaSet")
                            .withName(owner.getMetadata().getName())
                            .withUid(owner.getMetadata().getUid())
                            .withController(true)
                            .build()))
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .withTerminationGracePeriodSeconds(30L)
            .addNewContainer()
            .withName("app")
            .withImage("registry.example.com/app:1.0")
            .endContainer()
            .endSpec()
            .build();
    pod.setStatus(PodStates.running(pod, ready));
    return client.pods().resource(pod).create();
  }

  /** A ReplicaSet object only: nothing creates its pods. */
  static ReplicaSet replicaSet(
      KubernetesClient client, String name, int replicas, Map<String, String> labels) {
    return client
        .apps()
        .replicaSets()
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .endSpec()
                .build())
        .create();
  }

  static PodDisruptionBudget minAvailable(
      KubernetesClient client, String name, Map<String, String> labels, IntOrString min) {
    return client
        .policy()
        .v1()
        .podDisruptionBudget()
        .resource(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withMinAvailable(min)
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .endSpec()
                .build())
        .create();
  }

  /** Posts an eviction for {@code pod} in {@code default} with a plain HTTP client. */
  static Answer evict(EmbeddedKubernetes api, String pod, String deleteOptions) {
    String body =
        "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\""
            + pod
            + "\",\"namespace\":\"default\"}"
            + (deleteOptions == null ? "" : ",\"deleteOptions\":" + deleteOptions)
            + "}";
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(api.url() + "/api/v1/namespaces/default/pods/" + pod + "/eviction"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
