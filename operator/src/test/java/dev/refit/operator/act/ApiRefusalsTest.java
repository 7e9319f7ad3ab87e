package dev.refit.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class ApiRefusalsTest {

  @Test
  void anAnswerIsNamedByItsRequestCodeAndTheServersMessage() {
    var status =
        new StatusBuilder()
            .withCode(429)
            .withMessage("the server has received too many requests")
            .build();
    var refused =
        new KubernetesClientException(
            "Failure executing: PATCH at: https://10.0.0.1:6443/api/v1/nodes/w-7. Message: the"
                + " server has received too many requests.",
            429,
            status);
    assertThat(ApiRefusals.describe(refused))
        .isEqualTo("PATCH /api/v1/nodes/w-7: 429 the server has received too many requests");
  }

  @Test
  void aRequestThatGotNoAnswerSaysWhy() {
    var timedOut =
        new KubernetesClientException(
            "Failure executing: GET at:"
                + " https://10.0.0.1:6443/apis/refit.dev/v1alpha1/osnodes/w-1",
            new SocketTimeoutException("timeout"));
    assertThat(ApiRefusals.describe(timedOut))
        .isEqualTo("GET /apis/refit.dev/v1alpha1/osnodes/w-1: timeout");
  }

  @Test
  void aLongMessageIsCut() {
    var refused = new KubernetesClientException("x".repeat(1000));
    assertThat(ApiRefusals.describe(refused)).hasSize(ApiRefusals.MAX_LENGTH).endsWith("…");
  }
}
