package dev.refit.updater.backend.bootc;

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
import dev.refit.updater.backend.SystemdUnits;
import dev.refit.updater.host.CommandFailedException;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostOutputException;
import dev.refit.updater.selinux.SelinuxTools;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Image-mode hosts through bootc (bootc-dev/bootc, {@code crates/lib/src/cli.rs}).
 *
 * <ul>
 *   <li>facts: {@code bootc status --format=json}, or {@code --json} on a bootc that rejects {@code
 *       --format}; {@code systemctl is-enabled/is-active} of bootc's update timer
 *   <li>stage: {@code bootc switch [--enforce-container-sigpolicy] --download-only <image>} (no
 *       {@code --apply}): downloads and stages, locked against finalization, so an unplanned reboot
 *       boots the old OS; on a bootc without {@code switch --download-only}, a plain switch, then
 *       {@code bootc upgrade --download-only} to lock it where that exists
 *   <li>finalize and reboot: {@code bootc upgrade --from-downloaded} when the staged deployment is
 *       locked, then {@code systemctl reboot} (ostree finalizes it at shutdown)
 *   <li>roll back: {@code bootc rollback} unless a rollback is already queued (it toggles, so it
 *       must not run twice), then {@code systemctl reboot}
 * </ul>
 *
 * <p>A host whose {@code bootc-fetch-apply-updates.timer} is armed is not eligible: it runs {@code
 * bootc upgrade --apply}, which reboots the node into whatever the followed tag points at.
 */
public final class BootcBackend extends CommandBackend {

  static final List<String> ROLLBACK = List.of("bootc", "rollback");
  static final List<String> UPGRADE = List.of("bootc", "upgrade");
  static final List<String> LOCK_STAGED = List.of("bootc", "upgrade", "--download-only");
  static final List<String> UNLOCK_STAGED = List.of("bootc", "upgrade", "--from-downloaded");

  /** bootc's automatic updates (systemd/bootc-fetch-apply-updates.{timer,service}). */
  static final String UPDATE_TIMER = "bootc-fetch-apply-updates.timer";

  static final String UPDATE_SERVICE = "bootc-fetch-apply-updates.service";

  /** Refusal reasons. */
  public static final String AUTO_UPDATE_TIMER = "AutoUpdateTimerEnabled";

  public static final String AUTO_UPDATE_RUNNING = "AutoUpdateInProgress";

  /** The booted image's verification cannot be kept by {@code bootc switch}. */
  public static final String VERIFICATION_NOT_KEPT = "VerificationNotKept";

  /** Set once this host's bootc rejected {@code --format}; {@code --json} works on every bootc. */
  private volatile boolean legacyStatus;

  public BootcBackend(CommandRunner runner, HostBoot boot, SelinuxTools selinux) {
    super(runner, boot, selinux);
  }

  @Override
  public OSFamily family() {
    return OSFamily.Bootc;
  }

  BootcStatus status() throws HostException {
    CommandResult result = null;
    if (!legacyStatus) {
      result = execute(BootcStatusParser.COMMAND, STATUS_TIMEOUT);
      legacyStatus = rejectsFlag(result, "--format");
    }
    if (legacyStatus) {
      result = execute(BootcStatusParser.LEGACY_COMMAND, STATUS_TIMEOUT);
    }
    requireSuccess(result);
    try {
      BootcStatus status = BootcStatusParser.parse(result.stdout());
      if (!status.isBootcHost()) {
        // ostree-ext container_utils::running_in_container(): a `container` variable (any value),
        // /run/.containerenv or /.dockerenv make bootc answer with an all-null status.
        throw new HostException(
            HostException.UNSUPPORTED_HOST,
            result.commandLine()
                + " reports no deployment (status.booted: null, not a bootc host): the host is not"
                + " booted from a bootc image, or bootc believes it runs in a container (a"
                + " `container` environment variable, /run/.containerenv or /.dockerenv)");
      }
      status.requireBootedImage();
      return status;
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  @Override
  protected Deployments deployments() throws HostException {
    BootcStatus status = status();
    return new Deployments(
        status.booted().map(BootcBackend::deployment).orElseThrow(),
        status.staged().filter(e -> e.image().isPresent()).map(BootcBackend::deployment),
        status.rollback().filter(e -> e.image().isPresent()).map(BootcBackend::deployment));
  }

  static HostDeployment deployment(BootcEntry entry) {
    return new HostDeployment(
        entry.image().flatMap(BootcImage::version).orElse(null),
        entry.image().map(i -> i.reference().image()).orElse(null),
        entry.image().map(BootcImage::digest).orElse(null),
        entry.ostreeChecksum().orElse(null));
  }

  /** The update timer armed, or its service running now: bootc would reboot the node itself. */
  @Override
  protected List<HostRefusal> otherRefusals() throws HostException {
    List<HostRefusal> refusals = new ArrayList<>();
    SystemdUnits units = new SystemdUnits(this);
    String enabled = units.enabled(UPDATE_TIMER);
    String active = units.active(UPDATE_TIMER);
    if (SystemdUnits.AT_BOOT.contains(enabled) || SystemdUnits.RUNNING.contains(active)) {
      refusals.add(
          new HostRefusal(
              AUTO_UPDATE_TIMER,
              UPDATE_TIMER
                  + " is armed (systemctl is-enabled: "
                  + enabled
                  + ", is-active: "
                  + active
                  + "): it starts "
                  + UPDATE_SERVICE
                  + ", which runs bootc upgrade --apply and reboots the node into any update it"
                  + " finds, without a drain; turn it off: systemctl mask --now "
                  + UPDATE_TIMER
                  + " (in the image: RUN systemctl mask "
                  + UPDATE_TIMER
                  + ")"));
    }
    String service = units.active(UPDATE_SERVICE);
    if (SystemdUnits.RUNNING.contains(service)) {
      refusals.add(
          new HostRefusal(
              AUTO_UPDATE_RUNNING,
              UPDATE_SERVICE
                  + " is running (systemctl is-active: "
                  + service
                  + "): its bootc upgrade --apply reboots the node if it finds an update; let it"
                  + " finish, then systemctl mask --now "
                  + UPDATE_TIMER));
    }
    return refusals;
  }

  @Override
  public StageProgress stage(OSTarget os, SELinuxPolicy selinux, HostFacts facts)
      throws HostException {
    BootcStatus status = status();
    Optional<HostDeployment> staged =
        status.staged().filter(e -> e.image().isPresent()).map(BootcBackend::deployment);
    if (!TargetMatch.os(staged, os, OSFamily.Bootc)
        && !TargetMatch.os(Optional.of(facts.booted()), os, OSFamily.Bootc)) {
      boolean follows =
          status
              .specImage()
              .map(s -> s.transport() == ImageTransport.REGISTRY && s.image().equals(os.getImage()))
              .orElse(false);
      if (follows) {
        // upgrade keeps the spec's signature policy; lock what it stages where bootc can.
        runOrFallBack(LOCK_STAGED, "--download-only", UPGRADE);
      } else {
        List<String> lockedSwitch = switchCommand(os.getImage(), status, true);
        if (runOrFallBack(
            lockedSwitch, "--download-only", switchCommand(os.getImage(), status, false))) {
          // bootc without switch --download-only: lock the staged image where upgrade can.
          CommandResult lock = execute(LOCK_STAGED, STAGE_TIMEOUT);
          if (!rejectsFlag(lock, "--download-only")) {
            requireSuccess(lock);
          }
        }
      }
    }
    stageSelinuxMode(selinux, facts);
    return StageProgress.done();
  }

  /**
   * {@code bootc switch} for a registry image, verified at least as strictly as the booted image:
   * without {@code --enforce-container-sigpolicy} bootc stages the image as {@code
   * ostree-unverified-registry:} whatever the booted image required (cli.rs {@code
   * imgref_for_switch}, utils.rs {@code sigpolicy_from_opt}; bootc-dev/bootc#815). bootc switch
   * cannot name an ostree remote, so a remote-verified host is not switched at all.
   */
  static List<String> switchCommand(String image, BootcStatus status, boolean downloadOnly)
      throws HostException {
    Optional<BootcImageReference> booted = status.bootedImage().map(BootcImage::reference);
    Optional<String> remote = booted.flatMap(BootcImageReference::ostreeRemote);
    if (remote.isPresent()) {
      throw new HostException(
          VERIFICATION_NOT_KEPT,
          "the booted image is verified with the ostree remote '"
              + remote.get()
              + "' (bootc status: signature ostreeRemote), which bootc switch cannot keep: it"
              + " verifies through /etc/containers/policy.json (--enforce-container-sigpolicy) or"
              + " not at all. Not switching to "
              + image
              + "; publish the target under the tag the host follows (bootc upgrade keeps the"
              + " remote), or switch by hand with bootc edit keeping signature.ostreeRemote");
    }
    List<String> argv = new ArrayList<>(List.of("bootc", "switch"));
    if (booted.map(BootcImageReference::enforcesContainerPolicy).orElse(false)) {
      argv.add("--enforce-container-sigpolicy");
    }
    if (downloadOnly) {
      argv.add("--download-only");
    }
    argv.add(image);
    return List.copyOf(argv);
  }

  @Override
  public void finalizeAndReboot(HostFacts facts) throws HostException {
    BootcStatus status = status();
    Optional<BootcEntry> staged = status.staged();
    if (staged.isPresent() && staged.get().downloadOnly()) {
      Optional<String> digest = staged.get().image().map(BootcImage::digest);
      // --from-downloaded unlocks without fetching (bootc-dev/bootc#1846); before it, a plain
      // upgrade unlocks a staged image whose digest the registry still serves.
      runOrFallBack(UNLOCK_STAGED, "--from-downloaded", UPGRADE);
      Optional<BootcEntry> after = status().staged();
      if (after.isEmpty()
          || after.get().downloadOnly()
          || !after.get().image().map(BootcImage::digest).equals(digest)) {
        throw new HostException(
            HostException.COMMAND_FAILED,
            "unlocking the staged deployment "
                + digest.orElse("(no image)")
                + " did not leave it staged for the next boot (now staged: "
                + after.flatMap(BootcEntry::image).map(BootcImage::digest).orElse("nothing")
                + (after.map(BootcEntry::downloadOnly).orElse(false) ? ", still download-only" : "")
                + "); not rebooting");
      }
    }
    run(SYSTEMCTL_REBOOT, REBOOT_TIMEOUT);
  }

  @Override
  public void rollbackAndReboot(HostFacts facts) throws HostException {
    if (!status().rollbackQueued()) {
      run(ROLLBACK, STATUS_TIMEOUT);
    }
    run(SYSTEMCTL_REBOOT, REBOOT_TIMEOUT);
  }

  /**
   * Runs {@code argv}; if this bootc does not know {@code flag}, runs {@code fallback} instead.
   * Returns whether it fell back.
   */
  private boolean runOrFallBack(List<String> argv, String flag, List<String> fallback)
      throws HostException {
    CommandResult r = execute(argv, STAGE_TIMEOUT);
    if (rejectsFlag(r, flag)) {
      requireSuccess(execute(fallback, STAGE_TIMEOUT));
      return true;
    }
    requireSuccess(r);
    return false;
  }

  /**
   * Whether bootc refused a flag it does not have: clap exits 2 and names the flag ("unexpected
   * argument '--format' found"; clap 3: "Found argument '--format' which wasn't expected").
   */
  static boolean rejectsFlag(CommandResult r, String flag) {
    return r.exitCode() == 2
        && (r.stderr().contains("'" + flag + "'") || r.stderr().contains("'" + flag + "="));
  }

  private static void requireSuccess(CommandResult r) throws HostException {
    if (!r.succeeded()) {
      throw HostException.of(new CommandFailedException(r));
    }
  }
}
