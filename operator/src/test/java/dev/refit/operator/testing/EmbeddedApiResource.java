package dev.refit.operator.testing;

import dev.refit.testing.EmbeddedKubernetes;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Starts the embedded Kubernetes API (with Refit's CRDs) before Quarkus starts, points the
 * operator's client at it, and hands it to fields annotated {@link InjectEmbeddedApi}.
 */
public class EmbeddedApiResource implements QuarkusTestResourceLifecycleManager {

  /** Marks a test field of type {@link EmbeddedKubernetes} to receive the running API. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface InjectEmbeddedApi {}

  private EmbeddedKubernetes api;

  @Override
  public Map<String, String> start() {
    api = EmbeddedKubernetes.start();
    return Map.of(
        "quarkus.kubernetes-client.api-server-url", api.url(),
        "quarkus.kubernetes-client.namespace", "default",
        "quarkus.kubernetes-client.request-retry-backoff-limit", "0");
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(
        api,
        new TestInjector.AnnotatedAndMatchesType(
            InjectEmbeddedApi.class, EmbeddedKubernetes.class));
  }

  @Override
  public void stop() {
    if (api != null) {
      api.close();
    }
  }
}
