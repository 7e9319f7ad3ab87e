package dev.refit.updater.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.prometheus.client.exporter.common.TextFormat;

/**
 * The agent's meters in Prometheus form: its own ({@code refit_agent_*}) and the JVM and process
 * meters the Quarkus build exposed (memory, GC, threads, classes, CPU time and usage, uptime, open
 * files).
 *
 * <p>The registry is Micrometer's simpleclient-based one, the one Quarkus 3.27 used, so the
 * exposition is unchanged. Micrometer deprecates it in favour of the Prometheus 1.x client; moving
 * is a change of exposition to make on purpose, not in passing.
 */
@SuppressWarnings("deprecation")
public final class AgentMeters implements AutoCloseable {

  private final io.micrometer.prometheus.PrometheusMeterRegistry registry =
      new io.micrometer.prometheus.PrometheusMeterRegistry(
          io.micrometer.prometheus.PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();

  /** A registry with the JVM and process meters bound. */
  public AgentMeters() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    heapPressure.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /** Where the agent registers its meters. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The scrape, in the format the Accept header asks for (text 0.0.4 unless OpenMetrics). */
  public AgentHttpServer.Metrics scrape(String accept) {
    String contentType = TextFormat.chooseContentType(accept);
    return new AgentHttpServer.Metrics(contentType, registry.scrape(contentType));
  }

  @Override
  public void close() {
    gc.close();
    heapPressure.close();
    registry.close();
  }
}
