package dev.refit.operator.config;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Names the operator's Kubernetes client {@code refit-operator/<version>} (its User-Agent), so API
 * server audit logs tell Refit's requests from others', and the chart's tests can derive the
 * operator's RBAC from the requests it made.
 */
@Singleton
public class ClientIdentity implements KubernetesConfigCustomizer {

  /** The start of the operator's User-Agent. */
  public static final String USER_AGENT_PREFIX = "refit-operator/";

  private final String version;

  public ClientIdentity(
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
    this.version = version;
  }

  @Override
  public void customize(Config config) {
    config.setUserAgent(USER_AGENT_PREFIX + version);
  }
}
