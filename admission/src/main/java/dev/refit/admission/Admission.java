package dev.refit.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Both Refit CRDs as the API module ships them ({@code META-INF/refit/crds} in its jar), judging
 * any Refit manifest by its kind.
 */
public final class Admission {

  /** Where the API module's jar carries the committed CRD YAML. */
  static final String CRD_RESOURCES = "/META-INF/refit/crds/";

  private final Map<String, AdmissionValidator> byKind;

  private Admission(List<AdmissionValidator> validators) {
    Map<String, AdmissionValidator> kinds = new HashMap<>();
    validators.forEach(v -> kinds.put(v.kind(), v));
    this.byKind = Map.copyOf(kinds);
  }

  /** The CRDs on the classpath, every CEL rule compiled (this takes a moment: load it once). */
  public static Admission ofShippedCrds() {
    return new Admission(
        List.of(
            AdmissionValidator.forCrdYaml(resource("osupdatepolicies.refit.dev.yaml")),
            AdmissionValidator.forCrdYaml(resource("osnodes.refit.dev.yaml"))));
  }

  /** The validator for a kind ({@code OSUpdatePolicy}, {@code OSNode}), or null. */
  public AdmissionValidator forKind(String kind) {
    return byKind.get(kind);
  }

  /**
   * The errors the API server would answer for a manifest, each as {@code path: message}; empty
   * when it is admitted. A manifest of a kind no Refit CRD defines is rejected as such.
   */
  public List<String> validate(JsonNode manifest) {
    String kind = manifest.path("kind").asText();
    AdmissionValidator validator = byKind.get(kind);
    return validator == null
        ? List.of("kind: " + (kind.isEmpty() ? "missing" : kind) + " is not a Refit resource")
        : validator.validate(manifest);
  }

  /** The manifest as the API server stores it: with its schema's defaults filled in. */
  public JsonNode defaulted(JsonNode manifest) {
    AdmissionValidator validator = byKind.get(manifest.path("kind").asText());
    return validator == null ? manifest : validator.defaulted(manifest);
  }

  private static String resource(String file) {
    try (InputStream in = Admission.class.getResourceAsStream(CRD_RESOURCES + file)) {
      if (in == null) {
        throw new IllegalStateException(
            "the CRD " + file + " is not on the classpath (the refit-crds jar carries it)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
