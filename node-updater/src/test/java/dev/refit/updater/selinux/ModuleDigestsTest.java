package dev.refit.updater.selinux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.Revisions;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModuleDigestsTest {

  static final String CIL = "(allow container_t mnt_t (dir (search)))\n";

  @Test
  void theAgentsDigestIsTheOneTheOperatorDeclares() {
    assertThat(ModuleDigests.of(CIL)).isEqualTo(Revisions.moduleDigest(CIL));
  }

  @Test
  void aCopyAnOlderAgentRecordedByItsShortDigestMatchesTheDeclaredDigestItBegins() {
    String declared = Revisions.moduleDigest(CIL);
    String legacy = declared.substring("sha256:".length(), "sha256:".length() + 16);

    assertThat(ModuleDigests.matches(declared, legacy)).isTrue();
    assertThat(ModuleDigests.matches(declared, declared)).isTrue();
    assertThat(ModuleDigests.matches(Revisions.moduleDigest(CIL + " "), legacy)).isFalse();
    assertThat(ModuleDigests.matches(declared, legacy.substring(0, 8))).isFalse();
  }

  @Test
  void aLiveApplyDoesNotReinstallACopyRecordedByItsShortDigest() {
    String legacy = Revisions.moduleDigest(CIL).substring(7, 23);
    SelinuxFacts facts =
        new SelinuxFacts(
            true,
            Optional.of(HostSelinuxMode.ENFORCING),
            Optional.of(HostSelinuxMode.ENFORCING),
            Map.of(),
            Map.of("refit_mounts", new SelinuxFacts.InstalledModule("refit_mounts", 400, legacy)));
    SELinuxPolicy policy = new SELinuxPolicy();
    policy.setModules(List.of(SELinuxModule.inline("refit_mounts", CIL)));

    assertThat(LiveChanges.of(policy, Map.of("refit_mounts", ModuleDigests.of(CIL)), facts).none())
        .isTrue();
    assertThat(
            LiveChanges.of(policy, Map.of("refit_mounts", ModuleDigests.of(CIL + " ")), facts)
                .installs())
        .hasSize(1);
  }
}
