package dev.refit.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Operator settings from application.properties / environment (prefix {@code refit}). */
@ConfigMapping(prefix = "refit")
public interface RefitConfig {

  /** Drain settings. */
  Drain drain();

  /** Events settings. */
  Events events();

  /** Leader election between operator replicas. */
  LeaderElection leaderElection();

  /** Name of the node the operator runs on (downward API), updated last. */
  Optional<String> nodeName();

  /** The policies' Prometheus checks (healthCheck.prometheus). */
  HealthQuery healthQuery();

  /** SELinux module sources. */
  Selinux selinux();

  /** SELinux module sources. */
  interface Selinux {
    /**
     * Namespaces whose ConfigMaps may hold module sources ({@code configMapRef}): the operator
     * watches ConfigMaps there and nowhere else. By default its own namespace.
     */
    @WithDefault("${POD_NAMESPACE:refit-system}")
    Set<String> moduleNamespaces();
  }

  /** The policies' Prometheus checks. */
  interface HealthQuery {
    /**
     * How long an answer with no series lets nodes start, and how often a query that holds a
     * rollout is asked again.
     */
    @WithDefault("15s")
    Duration interval();
  }

  /** Drain settings. */
  interface Drain {
    /** Wait before retrying an eviction a PodDisruptionBudget refused. */
    @WithDefault("5s")
    Duration retryInterval();

    /** Evictions running at once, over all nodes. */
    @WithDefault("8")
    int parallelEvictions();
  }

  /** Leader election: only the replica holding the Lease reconciles. */
  interface LeaderElection {
    /** Name of the Lease the replicas compete for. */
    @WithDefault("refit-operator")
    String leaseName();

    /** Namespace of the Lease: the operator's own (downward API POD_NAMESPACE). */
    @WithDefault("${POD_NAMESPACE:refit-system}")
    String namespace();
  }

  /** Events settings. */
  interface Events {
    /** Namespace for Events about cluster-scoped objects (policies, nodes). */
    @WithDefault("default")
    String namespace();
  }

  default OperatorSettings settings() {
    return new OperatorSettings(
        drain().retryInterval(),
        drain().parallelEvictions(),
        events().namespace(),
        nodeName().orElse(null),
        healthQuery().interval(),
        selinux().moduleNamespaces());
  }
}
