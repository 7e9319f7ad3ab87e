package dev.refit.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OSNode spec's merge patch removes what the new spec lacks at every depth: a merge patch
 * merges nested objects, so without it a module dropped from the policy stayed in the work order
 * (its agent kept reporting the module as declared, and the host kept it).
 */
class OSNodesPatchTest {

  @Test
  void aFieldOrKeyTheNewSpecLacksIsSentAsNullAtEveryDepth() {
    Map<String, Object> before =
        Map.of(
            "os", Map.of("version", "41.1"),
            "selinux",
                Map.of("mode", "Enforcing", "modules", List.of(Map.of("name", "nginx-custom"))),
            "moduleDigests", Map.of("nginx-custom", "sha256:aa", "kept", "sha256:bb"),
            "reason", "Updated");
    Map<String, Object> now =
        Map.of(
            "os", Map.of("image", "quay.io/fedora/fedora-bootc:41"),
            "selinux", Map.of("booleans", List.of(Map.of("name", "b", "value", true))),
            "moduleDigests", Map.of("kept", "sha256:bb"));

    Map<String, Object> patch = OSNodes.removing(before, now);

    Map<String, Object> os = new LinkedHashMap<>();
    os.put("image", "quay.io/fedora/fedora-bootc:41");
    os.put("version", null);
    Map<String, Object> selinux = new LinkedHashMap<>();
    selinux.put("booleans", List.of(Map.of("name", "b", "value", true)));
    selinux.put("mode", null);
    selinux.put("modules", null);
    Map<String, Object> digests = new LinkedHashMap<>();
    digests.put("kept", "sha256:bb");
    digests.put("nginx-custom", null);
    assertThat(patch)
        .containsEntry("os", os)
        .containsEntry("selinux", selinux)
        .containsEntry("moduleDigests", digests)
        .containsEntry("reason", null);
  }
}
