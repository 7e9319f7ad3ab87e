package dev.refit.operator.config;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the operator starts when the API server is briefly unavailable or refuses it for good.
 *
 * <p>The Operator SDK is told not to stop at an informer's first failed list ({@code
 * quarkus.operator-sdk.stop-on-informer-error-during-startup=false}): each informer asks again with
 * its back-off, and the start waits for it up to {@code quarkus.operator-sdk.cache-sync-timeout}. A
 * passing cause (a list that timed out, a 503 while the API server restarts) then costs a wait, not
 * a crash and a restart of the container with the kubelet's back-off. But after that wait the
 * Operator SDK would go on with an informer still empty, and an empty cache is a fleet the operator
 * cannot see. This refuses the start instead, naming each cache that did not fill, so a lasting
 * cause (a CRD not installed, a Role without list or watch) fails the pod with the reason in its
 * log.
 */
@Singleton
public class CacheSync {

  private static final int AFTER_THE_SDK_STARTS = 4000;

  private final LeaseLoss loss;

  public CacheSync(LeaseLoss loss) {
    this.loss = loss;
  }

  /** Runs after the Operator SDK's own start (its observer's priority is 3123). */
  void check(@Observes @Priority(AFTER_THE_SDK_STARTS) StartupEvent started, Operator operator) {
    RuntimeInfo runtime = operator.getRuntimeInfo();
    if (runtime.isStarted()) {
      refuseUnsynced(runtime.unhealthyInformerWrappingEventSourceHealthIndicator());
    }
  }

  /**
   * Throws the refusal when a cache did not fill. The Operator SDK has started the election by
   * then, and this replica may have won the Lease meanwhile: giving it up is then part of the stop
   * that follows, not a Lease lost while running, whose immediate exit would end the process before
   * the refusal is logged.
   */
  void refuseUnsynced(
      Map<String, Map<String, InformerWrappingEventSourceHealthIndicator>> unhealthy) {
    List<String> unsynced = unsynced(unhealthy);
    if (!unsynced.isEmpty()) {
      loss.startRefused();
      throw new IllegalStateException(refusal(unsynced));
    }
  }

  /**
   * The caches that have not filled, as "controller/event source" (with the namespace when the
   * informer watches one), sorted; an informer that filled but whose watch is being re-established
   * is not among them.
   */
  static List<String> unsynced(
      Map<String, Map<String, InformerWrappingEventSourceHealthIndicator>> unhealthy) {
    List<String> names = new ArrayList<>();
    for (var controller : new TreeMap<>(unhealthy).entrySet()) {
      for (var source : new TreeMap<>(controller.getValue()).entrySet()) {
        Map<String, InformerHealthIndicator> informers =
            new TreeMap<>(informers(source.getValue()));
        for (InformerHealthIndicator informer : informers.values()) {
          if (!informer.hasSynced()) {
            names.add(name(controller.getKey(), source.getKey(), informer));
          }
        }
      }
    }
    return names;
  }

  private static Map<String, InformerHealthIndicator> informers(
      InformerWrappingEventSourceHealthIndicator<?> source) {
    return source.informerHealthIndicators();
  }

  private static String name(String controller, String source, InformerHealthIndicator informer) {
    String namespace = informer.getTargetNamespace();
    boolean cluster =
        namespace == null
            || namespace.isBlank()
            || Constants.WATCH_ALL_NAMESPACES.equals(namespace);
    return controller + "/" + source + (cluster ? "" : " (namespace " + namespace + ")");
  }

  static String refusal(List<String> unsynced) {
    return "the operator's caches of "
        + String.join(", ", unsynced)
        + " did not fill within quarkus.operator-sdk.cache-sync-timeout: their lists were refused"
        + " or went unanswered (the log above says why). Check that the CRDs in crds/ are"
        + " installed, that the operator's ClusterRole allows get, list and watch on these"
        + " resources, and that the API server answers; the operator starts once they can be"
        + " read";
  }
}
