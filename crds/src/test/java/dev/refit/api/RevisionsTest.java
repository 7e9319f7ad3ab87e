package dev.refit.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

  private static SELinuxPolicy selinux(SELinuxBoolean... booleans) {
    SELinuxPolicy policy = new SELinuxPolicy();
    policy.setBooleans(List.of(booleans));
    return policy;
  }
}
