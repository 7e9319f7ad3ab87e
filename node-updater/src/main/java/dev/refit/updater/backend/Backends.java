package dev.refit.updater.backend;

import dev.refit.api.OSFamily;
import dev.refit.updater.agent.OsBackend;
import dev.refit.updater.backend.bootc.BootcBackend;
import dev.refit.updater.backend.bottlerocket.BottlerocketBackend;
import dev.refit.updater.backend.flatcar.FlatcarBackend;
import dev.refit.updater.backend.rpmostree.RpmOstreeBackend;
import dev.refit.updater.host.CommandException;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostOutputException;
import dev.refit.updater.host.HostState;
import dev.refit.updater.host.OsFamilyDetector;
import dev.refit.updater.host.OsReleaseParser;
import dev.refit.updater.selinux.SelinuxTools;
import java.time.Clock;
import java.time.Duration;

/** Picks the backend for the host from its /etc/os-release. */
public final class Backends {

  private Backends() {}

  /**
   * Detects the host's family and returns its backend.
   *
   * @param runner runs commands on the host
   * @param run the agent's directory under /run on the host (emptied at boot)
   * @param state the agent's directory under /var/lib on the host (kept)
   * @param clock the agent's clock
   * @param rebootGrace how long a host may take to go down after a reboot request (Bottlerocket
   *     undoes an activation whose reboot did not come within it)
   */
  public static OsBackend detect(
      CommandRunner runner, HostState run, HostState state, Clock clock, Duration rebootGrace)
      throws HostException {
    OSFamily family;
    try {
      family =
          OsFamilyDetector.detect(
              OsReleaseParser.parse(
                  runner.run(OsReleaseParser.COMMAND, Duration.ofSeconds(30)).stdout()));
    } catch (HostOutputException e) {
      throw HostException.of(e);
    } catch (CommandException e) {
      throw HostException.of(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostException(HostException.COMMAND_FAILED, "interrupted detecting the host");
    }
    return forFamily(family, runner, run, state, clock, rebootGrace);
  }

  /** The backend of a known family. */
  public static OsBackend forFamily(
      OSFamily family,
      CommandRunner runner,
      HostState run,
      HostState state,
      Clock clock,
      Duration rebootGrace) {
    HostBoot boot = new HostBoot(runner, run);
    SelinuxTools selinux = new SelinuxTools(runner, state);
    return switch (family) {
      case FedoraCoreOS, RHCOS, CentOSStreamCoreOS ->
          new RpmOstreeBackend(family, runner, boot, selinux);
      case Bootc -> new BootcBackend(runner, boot, selinux);
      case Bottlerocket ->
          new BottlerocketBackend(runner, boot, clock, rebootGrace, Sleeper.THREAD);
      case Flatcar -> new FlatcarBackend(runner, boot, selinux);
    };
  }
}
