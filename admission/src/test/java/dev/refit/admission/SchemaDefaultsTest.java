package dev.refit.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refit.api.OSUpdatePolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The API server's defaults and the Java model's agree. */
class SchemaDefaultsTest {

  /**
   * The API server fills in schema defaults; the Java model fills in its own. Reading a manifest
   * the server defaulted and one it did not must give the same object, or the operator would act on
   * something other than what {@code kubectl get -o yaml} shows.
   */
  @Test
  void javaDefaultsAreTheSchemaDefaults() throws IOException {
    JsonNode sparse =
        AdmissionValidator.parse(
            Files.readString(
                Path.of("src", "test", "resources", "defaults", "sparse-policy.yaml")));
    JsonNode defaulted = Admission.ofShippedCrds().defaulted(sparse);
    assertThat(defaulted).isNotEqualTo(sparse);

    OSUpdatePolicy fromSparse = Serialization.unmarshal(sparse.toString(), OSUpdatePolicy.class);
    OSUpdatePolicy fromDefaulted =
        Serialization.unmarshal(defaulted.toString(), OSUpdatePolicy.class);
    assertThat(Serialization.asJson(fromSparse.getSpec()))
        .isEqualTo(Serialization.asJson(fromDefaulted.getSpec()));
  }
}
