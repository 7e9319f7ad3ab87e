package dev.refit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The indexed store must answer exactly as the stock one: the same random requests go to both
 * dispatchers, and every answer (code, body, resourceVersions, item order) must be equal. The
 * requests are drawn from small pools so that names collide, keys move (label changes), selectors
 * of every kind run, finalizers hold deletions and a label value of {@code *} (a wildcard in the
 * stock attribute model) appears. With {@code refit.harness.verifyIndex} (set for the suite) every
 * lookup is also checked against a scan.
 */
class IndexedCrudDispatcherTest {

  private static final List<String> NAMES = List.of("a", "b", "c", "d", "e");
  private static final List<String> NAMESPACES = List.of("ns-1", "ns-2");
  private static final List<String> APPS = List.of("web", "db", "*");
  private static final List<String> SELECTORS =
      List.of(
          "",
          "?labelSelector=app%3Dweb",
          "?labelSelector=app%21%3Dweb",
          "?labelSelector=app",
          "?labelSelector=%21app",
          "?labelSelector=app%3Ddb,tier%3Dx",
          "?labelSelector=app%3D*",
          "?fieldSelector=metadata.name%3Db",
          "?labelSelector=tier%3Dy&fieldSelector=metadata.name%21%3Dc");

  @Test
  void answersEveryRequestExactlyAsTheStockStoreDoes() throws Exception {
    KubernetesCrudDispatcher stock = new KubernetesCrudDispatcher(List.of());
    IndexedCrudDispatcher indexed = new IndexedCrudDispatcher();
    String crd = osnodeCrd();
    for (Dispatcher dispatcher : List.of(stock, indexed)) {
      dispatcher.dispatch(
          request(HttpMethod.POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd));
    }
    Random random = new Random(11);
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int i = 0; i < 4000; i++) {
      Call call = randomCall(random);
      String expected = answer(stock, call);
      String actual = answer(indexed, call);
      assertThat(actual).as("request %d: %s", i, call).isEqualTo(expected);
      outcomes.merge(call.method() + " " + expected.substring(0, 3), 1, Integer::sum);
    }
    // The sequence reaches every outcome worth comparing, not just 404s.
    assertThat(outcomes)
        .containsKeys(
            "POST 201",
            "POST 409",
            "PUT 200",
            "PUT 409",
            "PATCH 202",
            "PATCH 404",
            "GET 200",
            "GET 404",
            "DELETE 200",
            "DELETE 404");
  }

  private record Call(HttpMethod method, String path, String body, String contentType) {}

  private static Call randomCall(Random random) {
    String name = pick(random, NAMES);
    String namespace = pick(random, NAMESPACES);
    int kind = random.nextInt(4);
    String collection =
        switch (kind) {
          case 0 -> "/api/v1/namespaces/" + namespace + "/pods";
          case 1 -> "/api/v1/namespaces/" + namespace + "/configmaps";
          case 2 -> "/api/v1/nodes";
          default -> "/apis/refit.dev/v1alpha1/osnodes";
        };
    String object = object(random, kind, name, namespace);
    return switch (random.nextInt(12)) {
      case 0, 1 -> new Call(HttpMethod.POST, collection, object, "application/json");
      case 2 -> new Call(HttpMethod.PUT, collection + "/" + name, object, "application/json");
      case 3 ->
          new Call(
              HttpMethod.PATCH,
              collection + "/" + name,
              "{\"metadata\":{\"labels\":{\"app\":\"" + pick(random, APPS) + "\"}}}",
              "application/merge-patch+json");
      case 4 ->
          new Call(
              HttpMethod.PATCH,
              collection + "/" + name + (kind == 3 ? "/status" : ""),
              "[{\"op\":\"add\",\"path\":\"/status/seen\",\"value\":" + random.nextInt(9) + "}]",
              "application/json-patch+json");
      case 5 ->
          new Call(
              HttpMethod.PATCH,
              collection + "/" + name,
              "{\"metadata\":{\"finalizers\":null}}",
              "application/merge-patch+json");
      case 6 -> new Call(HttpMethod.DELETE, collection + "/" + name, null, null);
      case 7 -> new Call(HttpMethod.DELETE, collection + pick(random, SELECTORS), null, null);
      case 8 -> new Call(HttpMethod.GET, collection + "/" + name, null, null);
      case 9 -> new Call(HttpMethod.GET, "/api/v1/pods" + pick(random, SELECTORS), null, null);
      case 10 -> new Call(HttpMethod.GET, "/api/v1/pods/" + name, null, null);
      default -> new Call(HttpMethod.GET, collection + pick(random, SELECTORS), null, null);
    };
  }

  private static String object(Random random, int kind, String name, String namespace) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    if (kind < 2) {
      metadata.put("namespace", namespace);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (random.nextInt(4) > 0) {
      labels.put("app", pick(random, APPS));
    }
    if (random.nextBoolean()) {
      labels.put("tier", random.nextBoolean() ? "x" : "y");
    }
    metadata.put("labels", labels);
    if (random.nextInt(5) == 0) {
      metadata.put("finalizers", List.of("refit.dev/test"));
    }
    if (random.nextInt(5) == 0) {
      metadata.put("resourceVersion", String.valueOf(random.nextInt(50)));
    }
    Map<String, Object> object = new LinkedHashMap<>();
    switch (kind) {
      case 0 -> {
        object.put("apiVersion", "v1");
        object.put("kind", "Pod");
        object.put("spec", Map.of("nodeName", "node-" + random.nextInt(3)));
      }
      case 1 -> {
        object.put("apiVersion", "v1");
        object.put("kind", "ConfigMap");
        object.put("data", Map.of("k", String.valueOf(random.nextInt(3))));
      }
      case 2 -> {
        object.put("apiVersion", "v1");
        object.put("kind", "Node");
        object.put("spec", Map.of("unschedulable", random.nextBoolean()));
      }
      default -> {
        object.put("apiVersion", "refit.dev/v1alpha1");
        object.put("kind", "OSNode");
        object.put("spec", Map.of("policy", "p" + random.nextInt(2)));
        object.put("status", Map.of("bootId", "b" + random.nextInt(3)));
      }
    }
    object.put("metadata", metadata);
    return Serialization.asJson(object);
  }

  /** The answer with what differs by design (random uids, wall-clock timestamps) blanked. */
  private static String answer(Dispatcher dispatcher, Call call) {
    MockResponse response;
    try {
      response = dispatcher.dispatch(request(call.method(), call.path(), call.body(), call));
    } catch (RuntimeException e) {
      return "threw " + e.getClass().getName();
    }
    String body =
        response.getBody() == null
            ? ""
            : new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
    return response.code()
        + " "
        + body.replaceAll("\"uid\":\"[^\"]*\"", "\"uid\":_")
            .replaceAll("\"(creation|deletion)Timestamp\":\"[^\"]*\"", "\"$1Timestamp\":_");
  }

  private static RecordedRequest request(HttpMethod method, String path, String body) {
    return request(method, path, body, new Call(method, path, body, "application/json"));
  }

  private static RecordedRequest request(HttpMethod method, String path, String body, Call call) {
    Headers.Builder headers = Headers.builder();
    if (call.contentType() != null) {
      headers.add("Content-Type", call.contentType());
    }
    return new RecordedRequest(
        "HTTP/1.1",
        method,
        path,
        headers.build(),
        new Buffer(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
  }

  private static String osnodeCrd() throws Exception {
    try (InputStream yaml =
        IndexedCrudDispatcherTest.class
            .getClassLoader()
            .getResourceAsStream("META-INF/refit/crds/osnodes.refit.dev.yaml")) {
      return Serialization.asJson(Serialization.unmarshal(yaml, CustomResourceDefinition.class));
    }
  }

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
