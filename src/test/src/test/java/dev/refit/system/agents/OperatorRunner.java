package dev.refit.system.agents;

import dev.refit.operator.config.OperatorSettings;
import dev.refit.operator.policy.PolicyReconciler;
import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/** The operator's real reconciler in a plain Java Operator SDK runtime, on its own client. */
public final class OperatorRunner implements AutoCloseable {

  private final Operator operator;
  private final PolicyReconciler reconciler;
  private final KubernetesClient client;

  public OperatorRunner(EmbeddedKubernetes api) {
    client = api.newClient();
    reconciler =
        new PolicyReconciler(
            Clock.systemUTC(),
            new SimpleMeterRegistry(),
            new OperatorSettings(Duration.ofMillis(200), 8, "default", null));
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withCloseClientOnStop(false)
                    .withStopOnInformerErrorDuringStartup(true)
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(2)));
    operator.register(reconciler);
    operator.start();
  }

  @Override
  public void close() {
    operator.stop();
    reconciler.close();
    client.close();
  }
}
