package dev.refit.testing.invariants;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.testing.ApiCall;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecNeverWrittenTest {

  private static final String OPERATOR = "refit-operator/1.0";

  private static ApiCall call(String client, String verb, String resource, String fields) {
    return new ApiCall(client, verb, "refit.dev", resource, "", fields);
  }

  @Test
  void theOperatorPatchingOrReplacingAPolicysSpecIsCaught() {
    List<ApiCall> log =
        List.of(
            call(OPERATOR, "patch", "osupdatepolicies", "metadata,spec"),
            call(OPERATOR, "update", "osupdatepolicies", "*"));

    assertThat(new SpecNeverWritten("refit-operator/", () -> log).atEnd(null))
        .extracting(Violation::toString)
        .containsExactly(
            "specNeverWritten: refit-operator/1.0 wrote the spec of a policy (patch of"
                + " metadata,spec)",
            "specNeverWritten: refit-operator/1.0 wrote the spec of a policy (update of *)");
  }

  @Test
  void statusMetadataAndOtherClientsWritesAndReadsAreFine() {
    List<ApiCall> log =
        List.of(
            call(OPERATOR, "patch", "osupdatepolicies/status", "status"),
            call(OPERATOR, "update", "osupdatepolicies/status", "*"),
            call(OPERATOR, "patch", "osupdatepolicies", "metadata"),
            call(OPERATOR, "get", "osupdatepolicies", ""),
            call(OPERATOR, "watch", "osupdatepolicies", ""),
            call(OPERATOR, "patch", "osnodes", "spec"),
            call("fabric8-kubernetes-client/6", "create", "osupdatepolicies", "*"),
            call("refit-simulator/edits", "patch", "osupdatepolicies", "spec"));

    assertThat(new SpecNeverWritten("refit-operator/", () -> log).atEnd(null)).isEmpty();
  }
}
