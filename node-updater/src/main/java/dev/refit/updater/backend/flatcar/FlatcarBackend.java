package dev.refit.updater.backend.flatcar;

import dev.refit.api.HostDeployment;
import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.agent.HostRefusal;
import dev.refit.updater.agent.StageProgress;
import dev.refit.updater.backend.CommandBackend;
import dev.refit.updater.backend.HostBoot;
import dev.refit.updater.backend.flatcar.UpdateEngineStatus.Operation;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostOutputException;
import dev.refit.updater.host.OsReleaseParser;
import dev.refit.updater.selinux.LiveChanges;
import dev.refit.updater.selinux.SelinuxTools;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Flatcar Container Linux through update_engine.
 *
 * <ul>
 *   <li>facts: the booted version from /etc/os-release ({@code VERSION}), and {@code
 *       update_engine_client -status}: {@code UPDATE_STATUS_UPDATED_NEED_REBOOT} is a staged
 *       update, of version {@code NEW_VERSION} when update_engine still knows it (it forgets it
 *       when it restarts, see {@link UpdateEngineStatus#newVersion()})
 *   <li>preconditions ({@link FlatcarRebootManagers}): no locksmithd that reboots on its own, no
 *       FLUO update-agent and no kured on the node; each would reboot it as soon as update_engine
 *       has installed what Refit staged, before Refit drains it
 *   <li>stage: {@code update_engine_client -check_for_update}, which returns at once; update_engine
 *       downloads and writes the inactive partition in the background, and the agent polls {@code
 *       -status} until it needs a reboot. Which version is offered is the update server's choice
 *       (SERVER and GROUP in update.conf): a different one fails the staging
 *   <li>finalize and reboot: {@code systemctl reboot} (update_engine's postinstall already gave the
 *       new partition the highest priority)
 *   <li>SELinux booleans and modules only where a person made the policy store writable ({@link
 *       FlatcarPolicyStore}); otherwise Stage and Apply fail with what to do
 * </ul>
 *
 * <p>Flatcar has no finalization lock: an update installed by update_engine boots at the next
 * reboot, whoever causes it. Rollback is not offered, see {@link #rollbackAndReboot}.
 */
public final class FlatcarBackend extends CommandBackend {

  static final Duration POLL = Duration.ofSeconds(10);
  static final List<String> CHECK = List.of("update_engine_client", "-check_for_update");

  /** locksmithd runs and would reboot the node on its own. */
  public static final String REBOOT_MANAGER_ACTIVE = "RebootManagerActive";

  /** locksmithd is stopped but starts at the next boot with a strategy that reboots. */
  public static final String REBOOT_MANAGER_ENABLED = "RebootManagerEnabled";

  /** A Kubernetes reboot agent (FLUO's update-agent, kured) runs on the node. */
  public static final String REBOOT_AGENT_RUNNING = "RebootAgentRunning";

  /** The update server answered the check without offering the target. */
  public static final String VERSION_NOT_OFFERED = "VersionNotOffered";

  /** The check never reached an answer, or the installation failed. */
  public static final String UPDATE_FAILED = "UpdateFailed";

  /** update_engine installed another version, which boots at the next reboot. */
  public static final String OTHER_UPDATE_STAGED = "OtherUpdateStaged";

  /** update_engine installed an update but no longer knows its version. */
  public static final String STAGED_VERSION_UNKNOWN = "StagedVersionUnknown";

  /** Rollback is not automated on Flatcar. */
  public static final String ROLLBACK_UNSUPPORTED = "RollbackUnsupported";

  /** The policy sets booleans or modules, and the SELinux policy store is on /usr. */
  public static final String SELINUX_STORE_READ_ONLY = "SelinuxStoreReadOnly";

  /**
   * The check this agent asked update_engine for, during the current instruction only: one check
   * that found nothing must not block the version for later instructions.
   */
  private record Check(String target, Optional<Instant> lastCheckedBefore) {}

  private final FlatcarRebootManagers rebootManagers;
  private final FlatcarPolicyStore policyStore;
  private Check check;
  private boolean storeChecked;

  public FlatcarBackend(CommandRunner runner, HostBoot boot, SelinuxTools selinux) {
    super(runner, boot, selinux);
    this.rebootManagers = new FlatcarRebootManagers(this);
    this.policyStore = new FlatcarPolicyStore(this);
  }

  @Override
  public OSFamily family() {
    return OSFamily.Flatcar;
  }

  @Override
  public void instructionStarted(String actionId) {
    check = null;
    storeChecked = false;
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
  protected Deployments deployments() throws HostException {
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
    // An installed update whose version update_engine forgot is still staged: it boots at the
    // next reboot. It is reported without a version, which never matches a target.
    Optional<HostDeployment> staged =
        status.needsReboot()
            ? Optional.of(new HostDeployment(status.newVersion().orElse(null), null, null, null))
            : Optional.empty();
    return new Deployments(new HostDeployment(booted, null, null, null), staged, Optional.empty());
  }

  @Override
  protected List<HostRefusal> otherRefusals() throws HostException {
    return rebootManagers.refusals();
  }

  @Override
  public StageProgress stage(OSTarget os, SELinuxPolicy selinux, HostFacts facts)
      throws HostException {
    if (!storeChecked && selinux != null && facts.selinux().configurable()) {
      // before update_engine installs anything and the node is drained for a policy the host
      // cannot take; the sources are read only at Apply, so a changed source counts there
      policyStore.requireWritableFor(LiveChanges.of(selinux, Map.of(), facts.selinux()));
      storeChecked = true;
    }
    String target = os.getVersion();
    UpdateEngineStatus status = status();
    if (status.needsReboot()) {
      return installed(status, target, selinux, facts);
    }
    if (status.inProgress()) {
      return StageProgress.inProgress(POLL, "update_engine: " + describe(status));
    }
    if (target.equals(facts.booted().getVersion())) {
      stageSelinuxMode(selinux, facts);
      return StageProgress.done();
    }
    if (check != null && check.target().equals(target)) {
      throw checkOutcome(status, check, target);
    }
    if (status.operation() == Operation.UPDATE_STATUS_REPORTING_ERROR_EVENT) {
      // An earlier attempt is ending; update_engine ignores a check until it is idle again.
      return StageProgress.inProgress(POLL, "update_engine is reporting an earlier failed attempt");
    }
    run(CHECK, STATUS_TIMEOUT);
    check = new Check(target, status.lastChecked());
    return StageProgress.inProgress(POLL, "update_engine is checking for " + target);
  }

  /** update_engine has installed an update: the target, another version, or one it forgot. */
  private StageProgress installed(
      UpdateEngineStatus status, String target, SELinuxPolicy selinux, HostFacts facts)
      throws HostException {
    Optional<String> version = status.newVersion();
    if (version.isEmpty()) {
      throw new HostException(
          STAGED_VERSION_UNKNOWN,
          "update_engine_client -status: update_engine has installed an update"
              + " (UPDATE_STATUS_UPDATED_NEED_REBOOT) but reports NEW_VERSION=0.0.0: it was"
              + " restarted since, and keeps the version only in memory, so the agent cannot tell"
              + " whether it is "
              + target
              + ". It boots at the next reboot. Either reboot the node by hand if it is the version"
              + " you want, or discard it (update_engine_client -reset_status) and stage again");
    }
    if (version.get().equals(target)) {
      stageSelinuxMode(selinux, facts);
      return StageProgress.done();
    }
    throw new HostException(
        OTHER_UPDATE_STAGED,
        "update_engine_client -status: update_engine installed "
            + version.get()
            + ", not "
            + target
            + "; it boots at the next reboot. Point the update server (SERVER and GROUP in"
            + " /etc/flatcar/update.conf) at "
            + target
            + ", discard it (update_engine_client -reset_status) and stage again");
  }

  /** The check this instruction asked for ended without installing the target. */
  private static HostException checkOutcome(UpdateEngineStatus status, Check asked, String target) {
    if (status.operation() == Operation.UPDATE_STATUS_REPORTING_ERROR_EVENT) {
      return new HostException(
          UPDATE_FAILED,
          "update_engine's attempt to install "
              + target
              + " failed and it is reporting the error to the update server"
              + " (UPDATE_STATUS_REPORTING_ERROR_EVENT); journalctl -u update-engine says why");
    }
    boolean answered =
        status.lastChecked().isPresent()
            && asked.lastCheckedBefore().map(status.lastChecked().get()::isAfter).orElse(true);
    if (!answered) {
      return new HostException(
          UPDATE_FAILED,
          "update_engine checked for "
              + target
              + " but got no answer from the update server (LAST_CHECKED_TIME did not change);"
              + " check SERVER in /etc/flatcar/update.conf and journalctl -u update-engine");
    }
    return new HostException(
        VERSION_NOT_OFFERED,
        "update_engine checked for an update (the update server answered at "
            + status.lastChecked().get()
            + ") and is "
            + status.operation()
            + " without installing "
            + target
            + ": the server did not offer it, or the download failed (journalctl -u"
            + " update-engine says which); the update server (SERVER and GROUP in"
            + " /etc/flatcar/update.conf) decides what is offered");
  }

  private static String describe(UpdateEngineStatus status) {
    String what = status.operation().name();
    if (status.newVersion().isPresent()) {
      what += " " + status.newVersion().get();
    }
    if (status.operation() == Operation.UPDATE_STATUS_DOWNLOADING) {
      what += " (" + Math.round(status.progress() * 100) + "%)";
    }
    return what;
  }

  /**
   * Booleans and modules only where the policy store is writable, see {@link FlatcarPolicyStore}.
   */
  @Override
  public void applyLive(SELinuxPolicy policy, Map<String, String> sources, HostFacts facts)
      throws HostException {
    if (policy != null && facts.selinux().configurable()) {
      policyStore.requireWritableFor(SelinuxTools.changes(policy, sources, facts.selinux()));
    }
    super.applyLive(policy, sources, facts);
  }

  @Override
  public void finalizeAndReboot(HostFacts facts) throws HostException {
    run(SYSTEMCTL_REBOOT, REBOOT_TIMEOUT);
  }

  /**
   * Not automated. update_engine has no rollback (update_engine_client's flags are -status,
   * -check_for_update, -update, -reset_status, -watch_for_updates) and reports nothing about the
   * inactive partition; Flatcar's documented ways are a manual {@code cgpt prioritize} of the
   * previous USR partition ("not recommended") or {@code flatcar-update --to-version}, which
   * installs an older release as a new update.
   */
  @Override
  public void rollbackAndReboot(HostFacts facts) throws HostException {
    throw new HostException(
        ROLLBACK_UNSUPPORTED,
        "Flatcar rollback is not automated: update_engine reports nothing about what the inactive"
            + " partition holds. Stage the previous version instead, if your update server offers"
            + " it, or follow Flatcar's manual rollback guide (cgpt prioritize, or flatcar-update"
            + " --to-version)");
  }
}
