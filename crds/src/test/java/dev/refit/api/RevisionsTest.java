package dev.refit.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionsTest {

  @Test
  void aRevisionIsAShortStableHexHash() {
    String revision = Revisions.of(OSTarget.version("41.20250101.3.0"), null);
    assertThat(revision).matches("[0-9a-f]{12}");
    assertThat(Revisions.of(OSTarget.version("41.20250101.3.0"), null)).isEqualTo(revision);
  }

  @Test
  void anotherVersionOrImageIsAnotherRevision() {
    assertThat(Revisions.of(OSTarget.version("41.20250101.3.0"), null))
        .isNotEqualTo(Revisions.of(OSTarget.version("41.20250115.3.0"), null))
        .isNotEqualTo(Revisions.of(OSTarget.image("quay.io/fedora/fedora-coreos:stable"), null));
  }

  @Test
  void selinuxChangesChangeTheRevisionButListOrderDoesNot() {
    SELinuxPolicy ab = selinux(new SELinuxBoolean("a_b", true), new SELinuxBoolean("c_d", false));
    SELinuxPolicy ba = selinux(new SELinuxBoolean("c_d", false), new SELinuxBoolean("a_b", true));
    SELinuxPolicy flipped =
        selinux(new SELinuxBoolean("a_b", false), new SELinuxBoolean("c_d", false));
    OSTarget os = OSTarget.version("1.19.2");

    assertThat(Revisions.of(os, ab)).isEqualTo(Revisions.of(os, ba));
    assertThat(Revisions.of(os, ab)).isNotEqualTo(Revisions.of(os, flipped));
    assertThat(Revisions.of(os, ab)).isNotEqualTo(Revisions.of(os, null));
  }

  static final String CIL = "(allow container_t mnt_t (dir (search)))\n";
  static final OSTarget OS = OSTarget.version("41.20250101.3.0");

  @Test
  void theSameCilInlineOrInAConfigMapIsTheSameRevision() {
    SELinuxPolicy inline = modules(SELinuxModule.inline("refit_mounts", CIL));
    SELinuxPolicy fromConfigMap = modules(fromConfigMap("refit_mounts", "mounts.cil"));

    assertThat(Revisions.of(OS, fromConfigMap, Map.of("refit_mounts", CIL)))
        .isEqualTo(Revisions.of(OS, inline));
  }

  @Test
  void anEditOfTheCilInTheConfigMapIsANewRevision() {
    SELinuxPolicy policy = modules(fromConfigMap("refit_mounts", "mounts.cil"));

    assertThat(Revisions.of(OS, policy, Map.of("refit_mounts", CIL + "(allow a b (c (d)))\n")))
        .isNotEqualTo(Revisions.of(OS, policy, Map.of("refit_mounts", CIL)));
  }

  @Test
  void theOrderOfTheModulesDoesNotChangeTheRevision() {
    SELinuxModule a = fromConfigMap("a_mod", "a.cil");
    SELinuxModule b = SELinuxModule.inline("b_mod", CIL);
    Map<String, String> read = Map.of("a_mod", "(allow x y (z (w)))");

    assertThat(Revisions.of(OS, modules(a, b), read))
        .isEqualTo(Revisions.of(OS, modules(b, a), read));
  }

  /** Revisions computed before modules were hashed by content: they must not move on upgrade. */
  @Test
  void policiesWithoutConfigMapsKeepTheRevisionsTheyHadBefore() {
    SELinuxPolicy policy = modules(SELinuxModule.inline("refit_mounts", CIL));
    policy.setBooleans(List.of(new SELinuxBoolean("container_manage_cgroup", true)));

    assertThat(Revisions.of(OS, policy)).isEqualTo("ae9766f64dc7");
    assertThat(Revisions.of(OS, null)).isEqualTo("f9dc57db7d04");
  }

  @Test
  void aModuleDigestIsTheSha256OfItsCil() {
    assertThat(Revisions.moduleDigest("abc"))
        .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Revisions.moduleDigest(CIL)).matches("sha256:[0-9a-f]{64}");
  }

  private static SELinuxModule fromConfigMap(String name, String key) {
    SELinuxModule module = new SELinuxModule();
    module.setName(name);
    module.setConfigMapRef(new ConfigMapKeyRef("refit-system", "selinux-modules", key));
    return module;
  }

  private static SELinuxPolicy modules(SELinuxModule... modules) {
    SELinuxPolicy policy = new SELinuxPolicy();
    policy.setModules(List.of(modules));
    return policy;
  }

  private static SELinuxPolicy selinux(SELinuxBoolean... booleans) {
    SELinuxPolicy policy = new SELinuxPolicy();
    policy.setBooleans(List.of(booleans));
    return policy;
  }
}
