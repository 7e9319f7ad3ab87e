package dev.refit.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.ConfigMapKeyRef;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSTarget;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.PolicyReasons;
import dev.refit.api.Revisions;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.operator.plan.ModuleSources.Read;
import dev.refit.operator.plan.ModuleSources.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleSourcesTest {

  static final String CIL = "(allow container_t mnt_t (dir (search)))\n";
  static final String INLINE_CIL = "(allow container_t var_t (dir (search)))\n";
  static final Read.Missing GONE = new Read.Missing("does not exist", "create it");

  @Test
  void everySourceReadGivesTheRevisionOfTheContentAndADigestPerModule() {
    OSUpdatePolicySpec spec = spec();

    Target target =
        ModuleSources.target(spec, Map.of("from_map", new Read.Found(CIL)), null, List.of());

    assertThat(target.problems()).isEmpty();
    assertThat(target.revision())
        .isEqualTo(Revisions.of(spec.getOs(), spec.getSelinux(), Map.of("from_map", CIL)));
    assertThat(target.moduleDigests())
        .isEqualTo(
            Map.of(
                "from_map", Revisions.moduleDigest(CIL),
                "inline_mod", Revisions.moduleDigest(INLINE_CIL)));
  }

  @Test
  void aPolicyWithoutModulesHasNoDigests() {
    OSUpdatePolicySpec spec = spec();
    spec.setSelinux(null);

    Target target = ModuleSources.target(spec, Map.of(), null, List.of());

    assertThat(target.moduleDigests()).isNull();
    assertThat(target.revision()).isEqualTo(Revisions.of(spec));
  }

  @Test
  void aSourceThatCannotBeReadKeepsTheLastRevisionAndTheDigestsItsNodesCarry() {
    OSNode onLast = osNode("last-rev", Map.of("from_map", "sha256:aa", "inline_mod", "sha256:bb"));
    OSNode older = osNode("older-rev", Map.of("from_map", "sha256:cc"));

    Target target =
        ModuleSources.target(spec(), Map.of("from_map", GONE), "last-rev", List.of(older, onLast));

    assertThat(target.revision()).isEqualTo("last-rev");
    assertThat(target.moduleDigests()).isEqualTo(onLast.getSpec().getModuleDigests());
    assertThat(target.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo(PolicyReasons.MODULE_SOURCE_UNAVAILABLE);
              assertThat(p.message())
                  .startsWith(
                      "SELinux module from_map: ConfigMap refit-system/modules key a.cil"
                          + " (spec.selinux.modules[0].configMapRef) does not exist; create it.")
                  .contains("holds at revision last-rev");
            });
  }

  @Test
  void aSourceNeverReadGivesNoDigestsAndHoldsTheRollout() {
    Target target = ModuleSources.target(spec(), Map.of(), null, List.of());

    assertThat(target.moduleDigests()).isNull();
    assertThat(target.problems())
        .singleElement()
        .extracting(SpecProblem::message)
        .asString()
        .contains("has not been read yet")
        .contains("(no node starts)");
  }

  private static OSUpdatePolicySpec spec() {
    SELinuxModule fromMap = new SELinuxModule();
    fromMap.setName("from_map");
    fromMap.setConfigMapRef(new ConfigMapKeyRef("refit-system", "modules", "a.cil"));
    SELinuxPolicy selinux = new SELinuxPolicy();
    selinux.setModules(List.of(fromMap, SELinuxModule.inline("inline_mod", INLINE_CIL)));
    OSUpdatePolicySpec spec = new OSUpdatePolicySpec();
    spec.setOs(OSTarget.version("41.20250101.3.0"));
    spec.setSelinux(selinux);
    return spec;
  }

  private static OSNode osNode(String revision, Map<String, String> digests) {
    OSNode osNode = new OSNode();
    OSNodeSpec spec = new OSNodeSpec();
    spec.setDesiredRevision(revision);
    spec.setModuleDigests(digests);
    osNode.setSpec(spec);
    return osNode;
  }
}
