package dev.refit.updater.agent;

import static dev.refit.updater.agent.Hosts.NEW;
import static dev.refit.updater.agent.Hosts.OLD;
import static dev.refit.updater.agent.Hosts.REVISION;
import static dev.refit.updater.agent.Hosts.host;
import static dev.refit.updater.agent.Hosts.order;
import static dev.refit.updater.agent.Hosts.version;
import static dev.refit.updater.agent.Hosts.withSelinux;
import static dev.refit.updater.agent.Hosts.withStaged;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.HostDeployment;
import dev.refit.api.NodeAction;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxMode;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.selinux.HostSelinuxMode;
import dev.refit.updater.selinux.ModuleDigests;
import dev.refit.updater.selinux.SelinuxFacts;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostRevisionsTest {

  static final String DIGEST = "sha256:" + "a".repeat(64);

  static HostFacts image(String image, String digest) {
    return host("b1", new HostDeployment(null, image, digest, "c1"));
  }

  @Test
  void aHostRunningTheTargetVersionReportsTheDesiredRevision() {
    HostFacts facts = host("b1", version(NEW));

    assertThat(HostRevisions.current(order(NodeAction.None, null), facts)).isEqualTo(REVISION);
  }

  @Test
  void aHostRunningAnotherVersionReportsTheHashOfWhatItRuns() {
    String current = HostRevisions.current(order(NodeAction.None, null), host("b1", version(OLD)));

    assertThat(current).isNotEqualTo(REVISION).hasSize(12);
  }

  @Test
  void aDigestPinnedTargetMatchesByDigestWhateverTheRepository() {
    Desired desired =
        order(
            OSTarget.image("quay.io/fedora/fedora-coreos@" + DIGEST), null, NodeAction.None, null);

    assertThat(HostRevisions.current(desired, image("mirror.example.com/fcos:stable", DIGEST)))
        .isEqualTo(REVISION);
    assertThat(
            HostRevisions.current(
                desired, image("quay.io/fedora/fedora-coreos:stable", "sha256:" + "b".repeat(64))))
        .isNotEqualTo(REVISION);
  }

  @Test
  void aTaggedTargetMatchesByTheReferenceTheHostRecorded() {
    Desired desired =
        order(OSTarget.image("quay.io/fedora/fedora-coreos:stable"), null, NodeAction.None, null);

    assertThat(HostRevisions.current(desired, image("quay.io/fedora/fedora-coreos:stable", DIGEST)))
        .isEqualTo(REVISION);
    assertThat(
            HostRevisions.current(desired, image("quay.io/fedora/fedora-coreos:testing", DIGEST)))
        .isNotEqualTo(REVISION);
  }

  @Test
  void theTargetIsCurrentOnlyOnceItsSelinuxModeRuns() {
    SELinuxPolicy permissive = new SELinuxPolicy();
    permissive.setMode(SELinuxMode.Permissive);
    Desired desired = order(OSTarget.version(NEW), permissive, NodeAction.None, null);
    HostFacts configuredOnly =
        withSelinux(
            host("b1", version(NEW)),
            Hosts.selinux(HostSelinuxMode.ENFORCING, HostSelinuxMode.PERMISSIVE));

    assertThat(HostRevisions.current(desired, configuredOnly)).isNotEqualTo(REVISION);
    assertThat(HostRevisions.staged(desired, configuredOnly)).isEqualTo(REVISION);
  }

  @Test
  void theTargetIsNotCurrentWhileAnOlderCopyOfAModuleIsLeftThatWouldComeBackInForce() {
    String cil = "(allow container_t mnt_t (file (read)))";
    SELinuxModule module = SELinuxModule.inline("refit_mounts", cil);
    module.setPriority(500);
    SELinuxPolicy policy = new SELinuxPolicy();
    policy.setModules(List.of(module));
    Desired desired =
        new Desired(
            Optional.of(REVISION),
            OSTarget.version(NEW),
            policy,
            Map.of("refit_mounts", ModuleDigests.of(cil)),
            NodeAction.None,
            null);
    SelinuxFacts.InstalledModule inForce =
        new SelinuxFacts.InstalledModule("refit_mounts", 500, ModuleDigests.of(cil));
    SelinuxFacts.InstalledModule older =
        new SelinuxFacts.InstalledModule("refit_mounts", 400, ModuleDigests.of(cil));
    Optional<HostSelinuxMode> enforcing = Optional.of(HostSelinuxMode.ENFORCING);
    HostFacts cleaned =
        withSelinux(
            host("b1", version(NEW)),
            new SelinuxFacts(
                true, enforcing, enforcing, Map.of(), Map.of("refit_mounts", inForce), List.of()));
    HostFacts leftOver =
        withSelinux(
            host("b1", version(NEW)),
            new SelinuxFacts(
                true,
                enforcing,
                enforcing,
                Map.of(),
                Map.of("refit_mounts", inForce),
                List.of(older)));

    assertThat(HostRevisions.current(desired, cleaned)).isEqualTo(REVISION);
    assertThat(HostRevisions.current(desired, leftOver)).isNotEqualTo(REVISION);
  }

  @Test
  void aStagedTargetIsReportedAsTheStagedRevision() {
    HostFacts facts = withStaged(host("b1", version(OLD)), version(NEW));

    assertThat(HostRevisions.staged(order(NodeAction.None, null), facts)).isEqualTo(REVISION);
    assertThat(HostRevisions.staged(order(NodeAction.None, null), host("b1", version(OLD))))
        .isNull();
  }

  @Test
  void whatTheHostRunsNeverClaimsTheTargetsRevision() {
    OSTarget target = OSTarget.version(OLD);
    String hash = dev.refit.api.Revisions.of(target, null);
    Desired desired =
        new Desired(
            java.util.Optional.of(hash),
            OSTarget.version(NEW),
            null,
            java.util.Map.of(),
            NodeAction.None,
            null);

    assertThat(HostRevisions.current(desired, host("b1", version(OLD)))).isEqualTo("other-" + hash);
  }
}
