package dev.refit.updater.backend;

import dev.refit.api.Deployment;
import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.agent.TargetMatch;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostOutputException;
import dev.refit.updater.selinux.SelinuxTools;
import java.util.List;
import java.util.Optional;

/**
 * Image-mode hosts through bootc.
 *
 * <ul>
 *   <li>facts: {@code bootc status --format=json}
 *   <li>stage: {@code bootc switch <image>} (no {@code --apply}: it downloads and stages, the
 *       running system is untouched), or {@code bootc upgrade} when the host already follows the
 *       target reference and only its content is missing
 *   <li>finalize and reboot: {@code systemctl reboot} (ostree finalizes the staged deployment at
 *       shutdown)
 *   <li>roll back: {@code bootc rollback} unless a rollback is already queued (it toggles, so it
 *       must not run twice), then {@code systemctl reboot}
 * </ul>
 */
public final class BootcBackend extends CommandBackend {

  static final List<String> UPGRADE = List.of("bootc", "upgrade");
  static final List<String> ROLLBACK = List.of("bootc", "rollback");

  public BootcBackend(CommandRunner runner, HostBoot boot, SelinuxTools selinux) {
    super(runner, boot, selinux);
  }

  @Override
  public OSFamily family() {
    return OSFamily.Bootc;
  }

  BootcStatus status() throws HostException {
    try {
      BootcStatus status =
          BootcStatusParser.parse(run(BootcStatusParser.COMMAND, STATUS_TIMEOUT).stdout());
      status.requireBootedImage();
      return status;
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  @Override
  Deployments deployments() throws HostException {
    BootcStatus status = status();
    return new Deployments(
        status.booted().map(BootcBackend::deployment).orElseThrow(),
        status.staged().filter(e -> e.image().isPresent()).map(BootcBackend::deployment),
        status.rollback().filter(e -> e.image().isPresent()).map(BootcBackend::deployment));
  }

  static Deployment deployment(BootcEntry entry) {
    return new Deployment(
        entry.image().flatMap(BootcImage::version).orElse(null),
        entry.image().map(i -> i.reference().image()).orElse(null),
        entry.image().map(BootcImage::digest).orElse(null),
        entry.ostreeChecksum().orElse(null));
  }

  @Override
  public StageProgress stage(OSTarget os, SELinuxPolicy selinux, HostFacts facts)
      throws HostException {
    BootcStatus status = status();
    Optional<Deployment> staged =
        status.staged().filter(e -> e.image().isPresent()).map(BootcBackend::deployment);
    if (!TargetMatch.os(staged, os, OSFamily.Bootc)
        && !TargetMatch.os(Optional.of(facts.booted()), os, OSFamily.Bootc)) {
      boolean follows = status.specImage().map(s -> s.image().equals(os.getImage())).orElse(false);
      run(follows ? UPGRADE : List.of("bootc", "switch", os.getImage()), STAGE_TIMEOUT);
    }
    stageSelinuxMode(selinux, facts);
    return StageProgress.done();
  }

  @Override
  public void finalizeAndReboot(HostFacts facts) throws HostException {
    run(SYSTEMCTL_REBOOT, REBOOT_TIMEOUT);
  }

  @Override
  public void rollbackAndReboot(HostFacts facts) throws HostException {
    if (!status().rollbackQueued()) {
      run(ROLLBACK, STATUS_TIMEOUT);
    }
    run(SYSTEMCTL_REBOOT, REBOOT_TIMEOUT);
  }
}
