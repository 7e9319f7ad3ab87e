package dev.refit.updater;

import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

/**
 * Clients of the embedded API on the transport the agent runs on (the JDK's HTTP client), so the
 * agent's Kubernetes layer is tested the way it runs; the harness's own clients use Vert.x. They
 * name themselves as the agent does ({@code refit-node-updater/...}), because only the agent's code
 * uses them: the calls they make count as the agent's when the chart's RBAC is checked.
 */
public final class JdkClients {

  private JdkClients() {}

  /** A client of the API, on the JDK transport, without retries (tests see every failure). */
  public static KubernetesClient of(EmbeddedKubernetes api) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(api.url())
            .withNamespace("default")
            .withUserAgent("refit-node-updater/test")
            .withRequestRetryBackoffLimit(0)
            .withHttp2Disable(true) // see EmbeddedKubernetes#newClient
            .build();
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new JdkHttpClientFactory())
        .build();
  }
}
