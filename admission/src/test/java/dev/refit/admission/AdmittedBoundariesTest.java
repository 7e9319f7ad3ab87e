package dev.refit.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stricter rules for images, timestamps, label keys and SELinux module names still admit
 * everything at their limits: a rule that rejected a valid 63-character name, a leap day or a
 * module semodule manages would lock people out.
 */
class AdmittedBoundariesTest {

  private static final String POLICY =
      """
      apiVersion: refit.dev/v1alpha1
      kind: OSUpdatePolicy
      metadata:
        name: workers
      spec:
        nodeSelector:
          matchLabels:
            %s
        os:
          %s
        schedule:
          blackouts:
          - start: '%s'
            end: '2099-01-01T00:00:00Z'
      """;

  private static Admission admission;

  @BeforeAll
  static void loadShippedCrds() {
    admission = Admission.ofShippedCrds();
  }

  @ParameterizedTest(name = "image {0} is admitted")
  @ValueSource(
      strings = {
        "quay.io/fedora/fedora-coreos:stable",
        "registry.example.com:5000/os/node:41.20250101.3.0",
        "localhost/os/node:latest",
        "localhost:5000/node:1",
        "registry:5000/os/node:1",
        "quay.io/fedora/fedora-coreos@sha256:"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "quay.io/fedora/fedora-coreos:stable@sha256:"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      })
  void fullyQualifiedImagesAreAdmitted(String image) {
    assertThat(validate("pool: a", "image: " + image, "2026-12-24T00:00:00Z")).isEmpty();
  }

  @ParameterizedTest(name = "blackout start {0} is admitted")
  @ValueSource(
      strings = {
        "2028-02-29T00:00:00Z",
        "2000-02-29T23:59:59Z",
        "2026-12-31T23:59:59.999999999+01:00",
        "2026-04-30T00:00:00-18:00",
        "2026-01-31T00:00:00+18:00"
      })
  void realMomentsAreAdmitted(String start) {
    assertThat(validate("pool: a", "version: 41.20250101.3.0", start)).isEmpty();
  }

  @ParameterizedTest(name = "label {0} is admitted")
  @ValueSource(
      strings = {
        "pool: ''",
        "node-role.kubernetes.io/worker: ''",
        "A_b.c-9: V_a.l-1",
        "a63: a63",
        "p253/a63: a63"
      })
  void labelsAtTheirLimitsAreAdmitted(String label) {
    String longest =
        label
            .replace("a63", "a".repeat(63))
            .replace(
                "p253",
                String.join(".", "b".repeat(63), "c".repeat(63), "d".repeat(63))
                    + "."
                    + "e".repeat(61));
    assertThat(validate(longest, "version: 41.20250101.3.0", "2026-12-24T00:00:00Z")).isEmpty();
  }

  /** Names libsemanage accepts (semanage_module_validate_name), up to Refit's 64 characters. */
  @ParameterizedTest(name = "SELinux module {0} is admitted")
  @ValueSource(
      strings = {
        "nginx-custom",
        "my.app",
        "a",
        "Z9",
        "a._b",
        "a.-b",
        "container-selinux.v2_1",
        "m64"
      })
  void moduleNamesTheSelinuxToolsAcceptAreAdmitted(String name) {
    String longest = name.equals("m64") ? "m" + "-.9".repeat(21) : name;
    assertThat(longest).hasSizeLessThanOrEqualTo(64);
    String policy =
        POLICY.formatted("pool: a", "version: 41.20250101.3.0", "2026-12-24T00:00:00Z")
            + "  selinux:\n    modules:\n    - name: '%s'\n      cil: (allow a b (file (read)))\n"
                .formatted(longest);
    assertThat(admission.validate(AdmissionValidator.parse(policy))).isEmpty();
  }

  private static java.util.List<String> validate(String label, String os, String start) {
    return admission.validate(AdmissionValidator.parse(POLICY.formatted(label, os, start)));
  }
}
