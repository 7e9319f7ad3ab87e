package dev.refit.system;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A one-node K3s cluster with Refit installed from helm/refit by the real Helm (helm-java), from
 * the images the build wrote, with the node-updater's fake host: what a person trying the chart on
 * a test cluster gets.
 */
final class RefitOnK3s implements AutoCloseable {

  static final String RELEASE = "refit";
  static final String NAMESPACE = "refit-system";

  private static final String K3S_IMAGE = "rancher/k3s:v1.31.4-k3s1";
  private static final int INSTALL_TIMEOUT_SECONDS = 300;
  private static final long READY_MINUTES = 3;

  private final K3sContainer k3s;
  private final KubernetesClient client;
  private final String node;
  private final Release release;

  private RefitOnK3s(K3sContainer k3s, KubernetesClient client, String node, Release release) {
    this.k3s = k3s;
    this.client = client;
    this.node = node;
    this.release = release;
  }

  /**
   * Starts K3s, loads both images into it, and installs the chart (waiting until the operator and
   * the node-updaters are ready).
   */
  static RefitOnK3s install(Path chart, ImageTarball operator, ImageTarball agent)
      throws Exception {
    K3sContainer k3s = new K3sContainer(DockerImageName.parse(K3S_IMAGE));
    k3s.start();
    try {
      operator.loadInto(k3s);
      agent.loadInto(k3s);
      String kubeconfig = k3s.getKubeConfigYaml();
      KubernetesClient client =
          new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
      String node = client.nodes().list().getItems().get(0).getMetadata().getName();

      Path values = Files.createTempFile("refit-k3s-values", ".yaml");
      values.toFile().deleteOnExit();
      // JSON is YAML, and keeps every string a string (--set reads a tag like 20 as a number).
      Files.writeString(
          values,
          Serialization.asJson(
              Map.of(
                  "operator",
                  Map.of("replicas", 1, "image", image(operator)),
                  "nodeUpdater",
                  Map.of("backend", "fake", "image", image(agent)))));
      Release release =
          new Helm(chart)
              .install()
              .withName(RELEASE)
              .withNamespace(NAMESPACE)
              .createNamespace()
              .withKubeConfigContents(kubeconfig)
              .withValuesFile(values)
              .waitReady()
              .withTimeout(INSTALL_TIMEOUT_SECONDS)
              .call();
      RefitOnK3s cluster = new RefitOnK3s(k3s, client, node, release);
      cluster.awaitPodsReady();
      return cluster;
    } catch (Exception | Error e) {
      k3s.stop();
      throw e;
    }
  }

  private static Map<String, String> image(ImageTarball tarball) {
    // Never: the image is on the node already, and the cluster has no registry to pull from.
    return Map.of("repository", tarball.repository(), "tag", tarball.tag(), "pullPolicy", "Never");
  }

  /**
   * Helm's wait is not enough here: it counts a one-replica Deployment or a one-node DaemonSet with
   * {@code maxUnavailable: 1} as ready with no pod ready at all.
   */
  private void awaitPodsReady() {
    for (Deployment d : client.apps().deployments().inNamespace(NAMESPACE).list().getItems()) {
      client
          .resource(d)
          .waitUntilCondition(
              x ->
                  x != null
                      && x.getStatus() != null
                      && Objects.equals(
                          x.getStatus().getReadyReplicas(), x.getSpec().getReplicas()),
              READY_MINUTES,
              TimeUnit.MINUTES);
    }
    for (DaemonSet d : client.apps().daemonSets().inNamespace(NAMESPACE).list().getItems()) {
      client
          .resource(d)
          .waitUntilCondition(
              x ->
                  x != null
                      && x.getStatus() != null
                      && x.getStatus().getDesiredNumberScheduled() != null
                      && x.getStatus().getDesiredNumberScheduled() > 0
                      && Objects.equals(
                          x.getStatus().getNumberReady(),
                          x.getStatus().getDesiredNumberScheduled()),
              READY_MINUTES,
              TimeUnit.MINUTES);
    }
  }

  /** A cluster-admin client. */
  KubernetesClient client() {
    return client;
  }

  /** The cluster's only node. */
  String node() {
    return node;
  }

  Release release() {
    return release;
  }

  /** The release's pods of one component (operator, node-updater). */
  List<Pod> pods(String component) {
    return client
        .pods()
        .inNamespace(NAMESPACE)
        .withLabel("app.kubernetes.io/instance", RELEASE)
        .withLabel("app.kubernetes.io/component", component)
        .list()
        .getItems();
  }

  @Override
  public void close() {
    client.close();
    k3s.stop();
  }
}
