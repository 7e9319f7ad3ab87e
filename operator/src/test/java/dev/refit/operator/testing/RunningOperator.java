package dev.refit.operator.testing;

import dev.refit.operator.config.OperatorSettings;
import dev.refit.operator.reconcile.PolicyReconciler;
import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * One instance of the operator's reconciler in a plain Java Operator SDK runtime, on its own client
 * of the embedded API, so a test can run several, stop one mid-rollout (as a crash or a lost
 * leadership would) and start another.
 */
public final class RunningOperator implements AutoCloseable {

  /** The operator's own namespace, where its Lease lives (the chart's release namespace). */
  public static final String LEASE_NAMESPACE = "refit-system";

  private final Operator operator;
  private final PolicyReconciler reconciler;
  private final KubernetesClient client;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private RunningOperator(
      EmbeddedKubernetes api, String identity, boolean leaderElection, String operatorNode) {
    client = api.newClient("refit-operator/" + identity);
    reconciler =
        new PolicyReconciler(
            Clock.systemUTC(),
            registry,
            new OperatorSettings(
                Duration.ofMillis(200),
                8,
                "default",
                operatorNode,
                Duration.ofSeconds(2),
                java.util.Set.of(LEASE_NAMESPACE)));
    operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withCloseClientOnStop(false)
                  .withStopOnInformerErrorDuringStartup(true)
                  .withReconciliationTerminationTimeout(Duration.ofSeconds(2));
              if (leaderElection) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        "refit-operator",
                        LEASE_NAMESPACE,
                        Duration.ofSeconds(2),
                        Duration.ofMillis(1500),
                        Duration.ofMillis(250),
                        identity,
                        null,
                        false));
              }
            });
    operator.register(reconciler);
  }

  /** Starts an operator without leader election. */
  public static RunningOperator start(EmbeddedKubernetes api) {
    return startOn(api, null);
  }

  /**
   * Starts an operator without leader election that runs on {@code node}, as the chart tells it
   * from the downward API ({@code REFIT_NODE_NAME}).
   */
  public static RunningOperator startOn(EmbeddedKubernetes api, String node) {
    RunningOperator running = new RunningOperator(api, "solo", false, node);
    running.operator.start();
    return running;
  }

  /**
   * Starts an operator that acts only while it holds the Lease {@code refit-system/refit-operator}.
   */
  public static RunningOperator startElected(EmbeddedKubernetes api, String identity) {
    RunningOperator running = new RunningOperator(api, identity, true, null);
    running.operator.start();
    return running;
  }

  public SimpleMeterRegistry metrics() {
    return registry;
  }

  /** Stops the operator at once, as a crash or a lost node would: nothing is cleaned up. */
  @Override
  public void close() {
    operator.stop();
    reconciler.close();
    client.close();
  }
}
