package dev.refit.sim;

import dev.refit.api.OSUpdatePolicy;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The load benchmark's part in a running {@link Simulation}, which calls it as its progress view:
 * at the first frame (the operator is up and the policies applied) it finds the operator and the
 * API and starts the {@link EventStorm}; every second it samples the operator's memory, and every
 * minute its live heap after a full collection; when the run ends it stops the storm and, before
 * the simulated cluster goes away, takes a last full collection, reads how long the operator's
 * reconciliations took, and reads each policy's counts against its OSNodes.
 *
 * <p>A progress view because that is what a simulation lets a caller hook in; the API is found
 * through the operator process's environment for the same reason.
 */
final class LoadProbe extends Progress {

  /** Seconds between two full collections of the operator's heap (each pauses it briefly). */
  static final double COLLECTION_EVERY_SECONDS = 60;

  private final double stormPerSecond;
  private OperatorTrace operator;
  private EventStorm storm;
  private EventStorm.Figures stormFigures;
  private List<PolicyTally.Line> tally = List.of();
  private final List<OperatorTrace.Sample> memory = new ArrayList<>();
  private final List<OperatorTrace.Sample> live = new ArrayList<>();
  private OperatorTrace.Reconciles reconciles;
  private double lastSample = -1;
  private double lastCollection;
  private double elapsed;
  private String failure;

  LoadProbe(double stormPerSecond) {
    super(System.out, false, true);
    this.stormPerSecond = stormPerSecond;
  }

  @Override
  synchronized void render(double elapsed, List<OSUpdatePolicy> policies, Observer observer) {
    this.elapsed = elapsed;
    if (operator == null || !operator.alive()) {
      operator = OperatorTrace.find().orElse(null);
      if (operator == null) {
        return;
      }
    }
    if (storm == null) {
      storm = new EventStorm(client(operator.apiUrl()), stormPerSecond).start();
    }
    if (elapsed - lastSample >= 1) {
      OperatorTrace.Sample sample = operator.sample(elapsed);
      if (sample != null) {
        memory.add(sample);
      }
      lastSample = elapsed;
    }
    if (elapsed - lastCollection >= COLLECTION_EVERY_SECONDS) {
      collect(elapsed);
      lastCollection = elapsed;
    }
  }

  private void collect(double at) {
    OperatorTrace.Sample sample = operator.afterFullCollection(at);
    if (sample != null) {
      live.add(sample);
    }
  }

  @Override
  synchronized void finish() {
    if (storm == null) {
      failure = "the operator or the API was not found: no storm ran";
      return;
    }
    try {
      storm.close();
      stormFigures = storm.figures();
      if (operator.alive()) {
        collect(elapsed);
        reconciles = operator.reconciles();
      }
      try (KubernetesClient client = client(operator.apiUrl())) {
        tally = PolicyTally.read(client);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A client of the storm's name on the simulated cluster's API. */
  static KubernetesClient client(String apiUrl) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(apiUrl)
            .withNamespace("default")
            .withUserAgent(EventStorm.CLIENT)
            .withRequestRetryBackoffLimit(3)
            .withRequestRetryBackoffInterval(50)
            // HTTP/1.1 only, as the embedded API's own clients (an h2c upgrade can hang there)
            .withHttp2Disable(true)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  synchronized EventStorm.Figures stormFigures() {
    return stormFigures;
  }

  synchronized List<PolicyTally.Line> tally() {
    return tally;
  }

  synchronized List<OperatorTrace.Sample> memory() {
    return List.copyOf(memory);
  }

  /** The operator's heap right after each full collection the probe asked for. */
  synchronized List<OperatorTrace.Sample> live() {
    return List.copyOf(live);
  }

  /** How long the operator's reconciliations took, read at the end; null if not read. */
  synchronized OperatorTrace.Reconciles reconciles() {
    return reconciles;
  }

  /** Why the probe could not do its part, or null. */
  synchronized String failure() {
    return failure;
  }
}
