package dev.refit.updater.backend;

import dev.refit.api.Deployment;
import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.agent.HostRefusal;
import dev.refit.updater.agent.TargetMatch;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostOutputException;
import dev.refit.updater.selinux.SelinuxTools;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Fedora CoreOS, RHCOS and CentOS Stream CoreOS through rpm-ostree.
 *
 * <ul>
 *   <li>facts: {@code rpm-ostree status --json}
 *   <li>stage an image: {@code rpm-ostree rebase --lock-finalization <ostree image reference>},
 *       keeping the signature policy the booted image was verified with
 *   <li>stage a version: {@code rpm-ostree deploy --lock-finalization version=<v>} on a host that
 *       follows an ostree ref; on a host that follows a container image, {@code rpm-ostree upgrade
 *       --lock-finalization} (the image's tag decides the version, so it must be the target's)
 *   <li>finalize and reboot: {@code rpm-ostree finalize-deployment <checksum>}
 *   <li>roll back: {@code rpm-ostree cleanup -p} (drop a staged deployment), then {@code rpm-ostree
 *       rollback --reboot}
 * </ul>
 *
 * <p>{@code --lock-finalization} is what makes staging harmless: a staged deployment is finalized
 * only by {@code finalize-deployment}, so a crash or a reboot by someone else before the drain
 * boots the old OS again. Neither {@code -r/--reboot} is used when staging. A host with a
 * registered update driver (Zincati) is not eligible ({@code UpdateDriverConflict}): two drivers
 * would reboot the node behind each other's back.
 */
public final class RpmOstreeBackend extends CommandBackend {

  /** How often a transaction of someone else's is looked at again. */
  static final Duration BUSY_POLL = Duration.ofSeconds(10);

  static final List<String> CLEANUP_PENDING = List.of("rpm-ostree", "cleanup", "-p");
  static final List<String> ROLLBACK = List.of("rpm-ostree", "rollback", "--reboot");

  private final OSFamily family;

  public RpmOstreeBackend(
      OSFamily family, CommandRunner runner, HostBoot boot, SelinuxTools selinux) {
    super(runner, boot, selinux);
    this.family = family;
  }

  @Override
  public OSFamily family() {
    return family;
  }

  RpmOstreeStatus status() throws HostException {
    try {
      return RpmOstreeStatusParser.parse(
          run(RpmOstreeStatusParser.COMMAND, STATUS_TIMEOUT).stdout());
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  @Override
  Deployments deployments() throws HostException {
    RpmOstreeStatus status = status();
    try {
      return new Deployments(
          deployment(status.requireBooted()),
          status.staged().or(status::pending).map(RpmOstreeBackend::deployment),
          status.rollback().map(RpmOstreeBackend::deployment),
          status.updateDriver().map(RpmOstreeBackend::driverConflict).stream().toList());
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  /** Another agent registered as this host's update driver: it would update and reboot it too. */
  static HostRefusal driverConflict(RpmOstreeStatus.UpdateDriver driver) {
    return new HostRefusal(
        "UpdateDriverConflict",
        driver.name()
            + " ("
            + driver.systemdUnit()
            + ") is registered as this host's update driver (rpm-ostree status --json) and would"
            + " update and reboot the node on its own; disable it (systemctl disable --now "
            + driver.systemdUnit()
            + ")");
  }

  static Deployment deployment(RpmOstreeDeployment d) {
    return new Deployment(
        d.version().orElse(null),
        d.image().map(OstreeImageReference::image).orElse(null),
        d.imageDigest().orElse(null),
        d.checksum());
  }

  @Override
  public StageProgress stage(OSTarget os, SELinuxPolicy selinux, HostFacts facts)
      throws HostException {
    RpmOstreeStatus status = status();
    if (status.transaction().isPresent()) {
      return StageProgress.inProgress(
          BUSY_POLL, "rpm-ostree is busy with " + status.transaction().get().method());
    }
    RpmOstreeDeployment booted;
    try {
      booted = status.requireBooted();
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
    Optional<Deployment> staged =
        status.staged().or(status::pending).map(RpmOstreeBackend::deployment);
    if (!TargetMatch.os(staged, os, family)
        && !TargetMatch.os(Optional.of(deployment(booted)), os, family)) {
      run(stageCommand(os, booted), STAGE_TIMEOUT);
    }
    stageSelinuxMode(selinux, facts);
    return StageProgress.done();
  }

  /** The command that stages the target, without reboot. */
  static List<String> stageCommand(OSTarget os, RpmOstreeDeployment booted) {
    if (os.getImage() != null) {
      return List.of(
          "rpm-ostree", "rebase", "--lock-finalization", reference(os.getImage(), booted));
    }
    if (booted.image().isPresent()) {
      return List.of("rpm-ostree", "upgrade", "--lock-finalization");
    }
    return List.of("rpm-ostree", "deploy", "--lock-finalization", "version=" + os.getVersion());
  }

  /**
   * The ostree image reference for a registry image, verified the way the booted image was: signed
   * images stay signed-only, a remote's keys stay in force; a host booted from an ostree commit or
   * an unverified image gets an unverified registry reference (a digest-pinned target is still
   * checked against its digest).
   */
  static String reference(String image, RpmOstreeDeployment booted) {
    Optional<OstreeImageReference> current =
        booted.image().filter(r -> r.transport() == ImageTransport.REGISTRY);
    if (current.isEmpty()) {
      return "ostree-unverified-registry:" + image;
    }
    return switch (current.get().verification()) {
      case CONTAINER_POLICY -> "ostree-image-signed:docker://" + image;
      case OSTREE_REMOTE ->
          "ostree-remote-registry:" + current.get().remote().orElseThrow() + ":" + image;
      case UNVERIFIED -> "ostree-unverified-registry:" + image;
    };
  }

  @Override
  public void finalizeAndReboot(HostFacts facts) throws HostException {
    RpmOstreeStatus status = status();
    Optional<RpmOstreeDeployment> staged = status.staged();
    if (staged.isPresent() && staged.get().finalizationLocked()) {
      // finalize-deployment unlocks the staged deployment and reboots the host itself; naming the
      // checksum makes it refuse if what is staged is not what the agent checked.
      run(List.of("rpm-ostree", "finalize-deployment", staged.get().checksum()), REBOOT_TIMEOUT);
    } else {
      run(SYSTEMCTL_REBOOT, REBOOT_TIMEOUT);
    }
  }

  @Override
  public void rollbackAndReboot(HostFacts facts) throws HostException {
    RpmOstreeStatus status = status();
    if (status.staged().isPresent() || status.pending().isPresent()) {
      run(CLEANUP_PENDING, STATUS_TIMEOUT);
    }
    run(ROLLBACK, REBOOT_TIMEOUT);
  }
}
