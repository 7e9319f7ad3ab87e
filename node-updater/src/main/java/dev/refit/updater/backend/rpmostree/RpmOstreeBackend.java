package dev.refit.updater.backend.rpmostree;

import dev.refit.api.HostDeployment;
import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.agent.HostRefusal;
import dev.refit.updater.agent.StageProgress;
import dev.refit.updater.agent.TargetMatch;
import dev.refit.updater.backend.CommandBackend;
import dev.refit.updater.backend.HostBoot;
import dev.refit.updater.backend.ImageTransport;
import dev.refit.updater.backend.Sleeper;
import dev.refit.updater.host.CommandFailedException;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostOutputException;
import dev.refit.updater.selinux.SelinuxTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fedora CoreOS, RHCOS and CentOS Stream CoreOS through rpm-ostree.
 *
 * <ul>
 *   <li>facts: {@code rpm-ostree status --json}; refusals: a registered update driver whose unit is
 *       active or enabled ({@code systemctl is-active|is-enabled}), a Machine Config Daemon ({@code
 *       test -d /etc/machine-config-daemon})
 *   <li>stage an image: {@code rpm-ostree rebase --lock-finalization <ostree image reference>},
 *       keeping the signature policy the booted image was verified with
 *   <li>stage a version: {@code rpm-ostree deploy --lock-finalization version=<v>} on a host that
 *       follows an ostree ref; on a host that follows a container image, {@code rpm-ostree upgrade
 *       --lock-finalization} (the image's tag decides the version, so it must be the target's)
 *   <li>finalize and reboot: {@code rpm-ostree finalize-deployment --allow-unlocked <expected>},
 *       always: rpm-ostree ≥ 2024.6 keeps the lock in ostree's staging metadata, which {@code
 *       status --json} does not show ({@code finalization-locked} reflects only the legacy
 *       /run/ostree/staged-deployment-locked), so the flag can never decide whether to finalize
 *   <li>roll back: {@code rpm-ostree cleanup -p} (only a staged deployment: rollback refuses it),
 *       then {@code rpm-ostree rollback --reboot}
 * </ul>
 *
 * <p>{@code --lock-finalization} is what makes staging harmless: a staged deployment is finalized
 * only by {@code finalize-deployment}, so a crash or a reboot by someone else before the drain
 * boots the old OS again. Neither {@code -r/--reboot} is used when staging. rpm-ostree refuses to
 * start a transaction while another client's runs ("Transaction in progress"): staging looks again
 * later, finalizing and rolling back wait it out here, for at most {@link #BUSY_POLLS} polls.
 */
public final class RpmOstreeBackend extends CommandBackend {

  /** How often a transaction of someone else's is looked at again. */
  static final Duration BUSY_POLL = Duration.ofSeconds(10);

  /**
   * How many polls a finalize or rollback waits for another client's transaction: 5 minutes, well
   * inside the agent's reboot grace (10 minutes), which starts when the reboot request is recorded.
   */
  static final int BUSY_POLLS = 30;

  static final String BUSY_REASON = "RpmOstreeBusy";
  static final String NOTHING_TO_FINALIZE = "NothingToFinalize";

  static final List<String> CLEANUP_PENDING = List.of("rpm-ostree", "cleanup", "-p");
  static final List<String> ROLLBACK = List.of("rpm-ostree", "rollback", "--reboot");

  private final OSFamily family;
  private final Sleeper sleeper;
  private final RpmOstreeRefusals refusalChecks = new RpmOstreeRefusals(this);

  public RpmOstreeBackend(
      OSFamily family, CommandRunner runner, HostBoot boot, SelinuxTools selinux) {
    this(family, runner, boot, selinux, Sleeper.THREAD);
  }

  /** A backend whose waits for another client's transaction go through {@code sleeper}. */
  public RpmOstreeBackend(
      OSFamily family, CommandRunner runner, HostBoot boot, SelinuxTools selinux, Sleeper sleeper) {
    super(runner, boot, selinux);
    this.family = family;
    this.sleeper = sleeper;
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
  protected Deployments deployments() throws HostException {
    RpmOstreeStatus status = status();
    List<HostRefusal> refusals = new ArrayList<>();
    if (status.updateDriver().isPresent()) {
      refusalChecks.driverConflict(status.updateDriver().get()).ifPresent(refusals::add);
    }
    try {
      return new Deployments(
          deployment(status.requireBooted()),
          status.staged().or(status::pending).map(RpmOstreeBackend::deployment),
          status.rollback().map(RpmOstreeBackend::deployment),
          refusals);
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  /**
   * The Machine Config Daemon drives rpm-ostree without registering as a driver: see {@link
   * RpmOstreeRefusals#machineConfigDaemon}.
   */
  @Override
  protected List<HostRefusal> otherRefusals() throws HostException {
    return refusalChecks.machineConfigDaemon();
  }

  static HostDeployment deployment(RpmOstreeDeployment d) {
    return new HostDeployment(
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
      return StageProgress.inProgress(BUSY_POLL, "rpm-ostree is busy with " + busyWith(status));
    }
    RpmOstreeDeployment booted;
    try {
      booted = status.requireBooted();
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
    Optional<HostDeployment> staged =
        status.staged().or(status::pending).map(RpmOstreeBackend::deployment);
    if (!TargetMatch.os(staged, os, family)
        && !TargetMatch.os(Optional.of(deployment(booted)), os, family)) {
      CommandResult result = execute(stageCommand(os, booted), STAGE_TIMEOUT);
      if (busy(result)) {
        // Another client started a transaction since the status read.
        return StageProgress.inProgress(BUSY_POLL, result.stderr().strip());
      }
      require(result);
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
    Patience patience = new Patience();
    RpmOstreeStatus status = idleStatus(patience);
    Optional<RpmOstreeDeployment> staged = status.staged();
    if (staged.isPresent()) {
      finalize(staged.get(), patience);
    } else if (status.pending().isPresent()) {
      // An unstaged pending deployment is already the bootloader's default: a reboot boots it.
      run(SYSTEMCTL_REBOOT, REBOOT_TIMEOUT);
    } else if (facts.staged().isEmpty()) {
      // The agent asked for a boot with nothing staged (the booted OS is the target; SELinux is to
      // be turned on): the same OS boots again, as intended.
      run(SYSTEMCTL_REBOOT, REBOOT_TIMEOUT);
    } else {
      throw new HostException(
          NOTHING_TO_FINALIZE,
          "rpm-ostree status --json shows no staged deployment to finalize (booted: "
              + status.booted().map(RpmOstreeDeployment::id).orElse("none")
              + "); not rebooting into the same OS");
    }
  }

  /**
   * Unlocks the staged deployment (if it is locked) and reboots, naming what the agent checked so
   * that rpm-ostree refuses if something else was staged since. rpm-ostree ≥ 2025.7 expects the
   * image's manifest digest for an image deployment, earlier releases its base commit; the digest
   * is tried first, and a refusal that names the base commit as "found" means an earlier release.
   */
  private void finalize(RpmOstreeDeployment staged, Patience patience) throws HostException {
    String base = staged.baseChecksum().orElse(staged.checksum());
    Optional<String> digest = staged.image().flatMap(i -> staged.imageDigest());
    if (digest.isPresent()) {
      CommandResult byDigest = whenIdle(finalizeCommand(digest.get()), patience);
      if (byDigest.succeeded() || !byDigest.stderr().contains("but found " + base)) {
        require(byDigest);
        return;
      }
    }
    require(whenIdle(finalizeCommand(base), patience));
  }

  /** {@code --allow-unlocked}: an unlocked staged deployment is finalized too, not refused. */
  static List<String> finalizeCommand(String expected) {
    return List.of("rpm-ostree", "finalize-deployment", "--allow-unlocked", expected);
  }

  @Override
  public void rollbackAndReboot(HostFacts facts) throws HostException {
    Patience patience = new Patience();
    RpmOstreeStatus status = idleStatus(patience);
    if (status.staged().isPresent()) {
      require(whenIdle(CLEANUP_PENDING, patience));
    }
    require(whenIdle(ROLLBACK, patience));
  }

  /** The status once no other client's transaction runs. */
  private RpmOstreeStatus idleStatus(Patience patience) throws HostException {
    RpmOstreeStatus status = status();
    while (status.transaction().isPresent()) {
      patience.pause(busyWith(status));
      status = status();
    }
    return status;
  }

  /** Runs a command, waiting while rpm-ostree refuses it for another client's transaction. */
  private CommandResult whenIdle(List<String> argv, Patience patience) throws HostException {
    CommandResult result = execute(argv, REBOOT_TIMEOUT);
    while (busy(result)) {
      patience.pause(result.stderr().strip());
      result = execute(argv, REBOOT_TIMEOUT);
    }
    return result;
  }

  /** rpmostreed_sysroot_prep_for_txn: "Transaction in progress: <title>". */
  private static boolean busy(CommandResult result) {
    return !result.succeeded() && result.stderr().contains("Transaction in progress");
  }

  private static String busyWith(RpmOstreeStatus status) {
    RpmOstreeStatus.Transaction t = status.transaction().orElseThrow();
    return t.method() + " (client " + t.sender() + ")";
  }

  static void require(CommandResult result) throws HostException {
    if (!result.succeeded()) {
      throw HostException.of(new CommandFailedException(result));
    }
  }

  /** How much longer one finalize or rollback waits for another client's transaction. */
  private final class Patience {
    private int polls = BUSY_POLLS;

    void pause(String busyWith) throws HostException {
      if (polls-- <= 0) {
        throw new HostException(
            BUSY_REASON,
            "rpm-ostree is still busy with "
                + busyWith
                + " after "
                + BUSY_POLL.multipliedBy(BUSY_POLLS).toSeconds()
                + "s; find the client (rpm-ostree status) and let it finish or run rpm-ostree"
                + " cancel");
      }
      try {
        sleeper.sleep(BUSY_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HostException(
            HostException.COMMAND_FAILED, "interrupted waiting for rpm-ostree: " + busyWith);
      }
    }
  }
}
