package dev.refit.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;

/**
 * Fabric8's CRUD dispatcher plus what the embedded API needs on top of it. Every request is counted
 * in the {@link ApiRequestLog}.
 */
class HarnessDispatcher extends KubernetesCrudDispatcher {

  private final ApiRequestLog log;

  HarnessDispatcher(ApiRequestLog log) {
    super(List.of());
    this.log = log;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    log.record(ApiPath.parse(request.getMethod(), request.getPath()));
    return super.dispatch(request);
  }
}
