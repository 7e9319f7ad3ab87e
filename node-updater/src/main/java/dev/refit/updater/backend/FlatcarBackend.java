package dev.refit.updater.backend;

import dev.refit.api.Deployment;
import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostOutputException;
import dev.refit.updater.host.OsReleaseParser;
import dev.refit.updater.selinux.SelinuxTools;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Flatcar Container Linux through update_engine.
 *
 * <ul>
 *   <li>facts: the booted version from /etc/os-release ({@code VERSION}), and {@code
 *       update_engine_client -status}: {@code UPDATE_STATUS_UPDATED_NEED_REBOOT} with {@code
 *       NEW_VERSION} is a staged update
 *   <li>stage: {@code update_engine_client -check_for_update}, which returns at once; update_engine
 *       downloads and writes the inactive partition in the background, and the agent polls {@code
 *       -status} until it needs a reboot. Which version is offered is the update server's choice
 *       (SERVER and GROUP in /etc/flatcar/update.conf): a different one fails the staging
 *   <li>finalize and reboot: {@code systemctl reboot} (update_engine already marked the partition)
 * </ul>
 *
 * <p>Flatcar has no finalization lock: an update staged by update_engine boots at the next reboot,
 * whoever causes it. Rollback (cgpt) is not offered: the agent cannot tell what the other partition
 * holds, so the core reports there is no rollback deployment.
 */
public final class FlatcarBackend extends CommandBackend {

  static final Duration POLL = Duration.ofSeconds(10);
  static final List<String> CHECK = List.of("update_engine_client", "-check_for_update");

  private String checkedFor;

  public FlatcarBackend(CommandRunner runner, HostBoot boot, SelinuxTools selinux) {
    super(runner, boot, selinux);
  }

  @Override
  public OSFamily family() {
    return OSFamily.Flatcar;
  }

  UpdateEngineStatus status() throws HostException {
    try {
      return UpdateEngineStatusParser.parse(
          run(UpdateEngineStatusParser.COMMAND, STATUS_TIMEOUT).combinedOutput());
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  @Override
  Deployments deployments() throws HostException {
    String booted;
    try {
      booted =
          OsReleaseParser.parse(run(OsReleaseParser.COMMAND, STATUS_TIMEOUT).stdout())
              .version()
              .orElseThrow(
                  () -> new HostOutputException("/etc/os-release", "a VERSION= line", "none"));
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
    UpdateEngineStatus status = status();
    Optional<Deployment> staged =
        status.needsReboot()
            ? Optional.of(new Deployment(status.newVersion().orElse(null), null, null, null))
            : Optional.empty();
    return new Deployments(new Deployment(booted, null, null, null), staged, Optional.empty());
  }

  @Override
  public StageProgress stage(OSTarget os, SELinuxPolicy selinux, HostFacts facts)
      throws HostException {
    String target = os.getVersion();
    UpdateEngineStatus status = status();
    if (status.needsReboot()) {
      if (status.newVersion().map(target::equals).orElse(false)) {
        stageSelinuxMode(selinux, facts);
        return StageProgress.done();
      }
      throw new HostException(
          "OtherUpdateStaged",
          "update_engine_client -status: update_engine installed "
              + status.newVersion().orElse("an update whose version it does not report")
              + ", not "
              + target
              + "; it boots at the next reboot. Point the update server (GROUP in"
              + " /etc/flatcar/update.conf) at "
              + target);
    }
    if (status.inProgress()) {
      return StageProgress.inProgress(POLL, "update_engine: " + status.operation());
    }
    if (target.equals(facts.booted().getVersion())) {
      stageSelinuxMode(selinux, facts);
      return StageProgress.done();
    }
    if (target.equals(checkedFor)) {
      throw new HostException(
          "VersionNotOffered",
          "update_engine checked for an update and is "
              + status.operation()
              + " without installing "
              + target
              + "; the update server (SERVER and GROUP in /etc/flatcar/update.conf) decides what"
              + " is offered");
    }
    run(CHECK, STATUS_TIMEOUT);
    checkedFor = target;
    return StageProgress.inProgress(POLL, "update_engine is checking for " + target);
  }

  @Override
  public void finalizeAndReboot(HostFacts facts) throws HostException {
    run(SYSTEMCTL_REBOOT, REBOOT_TIMEOUT);
  }

  @Override
  public void rollbackAndReboot(HostFacts facts) throws HostException {
    throw new HostException(
        "RollbackUnsupported",
        "Flatcar rollback is not automated: the agent cannot tell what the inactive partition"
            + " holds; see Flatcar's manual rollback (cgpt prioritize)");
  }
}
