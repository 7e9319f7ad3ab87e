package dev.refit.updater.backend.bottlerocket;

import dev.refit.api.HostDeployment;
import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.agent.AgentSettings;
import dev.refit.updater.agent.AgentStep;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.agent.HostRefusal;
import dev.refit.updater.agent.RebootRequest;
import dev.refit.updater.agent.StageProgress;
import dev.refit.updater.backend.CommandBackend;
import dev.refit.updater.backend.HostBoot;
import dev.refit.updater.backend.Sleeper;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.NotAllowed;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.Rejected;
import dev.refit.updater.backend.bottlerocket.BottlerocketActionOutcome.Succeeded;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.CommandType;
import dev.refit.updater.backend.bottlerocket.BottlerocketUpdateStatus.State;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostException;
import dev.refit.updater.host.HostOutputException;
import dev.refit.updater.host.OsReleaseParser;
import dev.refit.updater.selinux.SelinuxFacts;
import dev.refit.updater.selinux.SestatusParser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Bottlerocket through its update API ({@code apiclient raw}) and {@code signpost}. Staging pins
 * the version, refreshes and prepares ({@link BottlerocketStaging}). Finalizing activates the
 * prepared update, waits until the update API shows it activated ({@code Ready}: thar-be-updates
 * forks and updog writes the boot flags a little later), and only then asks the API for the reboot;
 * a reboot the API refuses (a shutdown inhibitor) undoes the activation, and so does a reboot that
 * has not come within the agent's grace, so no later, unplanned boot applies an update outside the
 * drain. Rollback comes from {@code signpost status} (the update status lives on tmpfs and knows
 * nothing of the other partition set after a boot). A held update lock (423) means busy, never
 * failed. A host whose settings schedule the Bottlerocket update operator's agent on it is refused.
 */
public final class BottlerocketBackend extends CommandBackend {

  private static final Logger LOG = Logger.getLogger(BottlerocketBackend.class.getName());

  static final List<String> ACTIVATE = BottlerocketUpdateApi.post("/actions/activate-update");
  static final List<String> REBOOT = BottlerocketUpdateApi.post("/actions/reboot");
  static final List<String> ROLLBACK = List.of("signpost", "rollback-to-inactive");
  static final List<String> CANCEL_UPGRADE = List.of("signpost", "cancel-upgrade");
  static final List<String> SESTATUS = List.of("sestatus");
  private final Clock clock;
  private final Duration rebootGrace;
  private final BottlerocketUpdateApi api;
  private final BottlerocketStaging staging;

  /** A backend with the agent's default reboot grace, sleeping between in-call polls. */
  public BottlerocketBackend(CommandRunner runner, HostBoot boot, Clock clock) {
    this(runner, boot, clock, AgentSettings.defaults().rebootGrace(), Sleeper.THREAD);
  }

  /**
   * A backend.
   *
   * @param rebootGrace the agent's {@code refit.agent.reboot-grace}: an activation still armed this
   *     long after the agent asked for the reboot is undone
   * @param sleeper waits between polls inside one call (activation, deactivation)
   */
  public BottlerocketBackend(
      CommandRunner runner, HostBoot boot, Clock clock, Duration rebootGrace, Sleeper sleeper) {
    super(runner, boot, null);
    this.clock = clock;
    this.rebootGrace = rebootGrace;
    this.api = new BottlerocketUpdateApi(this::execute, clock, sleeper);
    this.staging = new BottlerocketStaging(api, this::execute, clock);
  }

  @Override
  public OSFamily family() {
    return OSFamily.Bottlerocket;
  }

  @Override
  public void instructionStarted(String actionId) {
    staging.forget();
  }

  @Override
  protected Deployments deployments() throws HostException {
    String bootId = boot.bootId();
    api.inBoot(bootId);
    BottlerocketUpdateApi.Read read = api.read();
    // While thar-be-updates works (a download takes minutes) the last status of this boot stands.
    Optional<BottlerocketUpdateStatus> status = read.isBusy() ? api.lastKnown() : read.status();
    BottlerocketSignpost sets = signpost();
    if (!read.isBusy() && disarmIfAbandoned(status, sets, bootId)) {
      status = api.lastKnown();
      sets = signpost();
    }
    String running = status.flatMap(BottlerocketUpdateStatus::runningVersion).orElse(null);
    if (running == null) {
      running = osReleaseVersion();
    }
    // signpost knows a bootable other set, not which version it holds (that status is on tmpfs).
    Optional<HostDeployment> rollback =
        sets.rollbackAvailable() ? Optional.of(new HostDeployment()) : Optional.empty();
    return new Deployments(
        version(running),
        status.flatMap(BottlerocketUpdateStatus::stagedVersion).map(BottlerocketBackend::version),
        rollback);
  }

  /**
   * The agent asked for a reboot in this boot and it has not come within the grace, yet the next
   * boot would still switch partition sets: undo that, so the next boot (a person's, a crash's)
   * runs the version the node was drained for. AgentStep reports the reboot that did not happen.
   */
  private boolean disarmIfAbandoned(
      Optional<BottlerocketUpdateStatus> status, BottlerocketSignpost sets, String bootId)
      throws HostException {
    Optional<RebootRequest> request = boot.request();
    if (!sets.armed()
        || request.isEmpty()
        || !request.get().bootId().equals(bootId)
        || clock.instant().isBefore(request.get().requestedAt().plus(rebootGrace))) {
      return false;
    }
    LOG.warning(
        "the reboot asked for at "
            + request.get().requestedAt()
            + " did not happen; undoing the activation so that no later boot applies it");
    if (status.isPresent() && status.get().state() == State.Ready) {
      api.deactivate();
    } else {
      run(CANCEL_UPGRADE, STATUS_TIMEOUT);
    }
    return true;
  }

  private String osReleaseVersion() throws HostException {
    try {
      return OsReleaseParser.parse(run(OsReleaseParser.COMMAND, STATUS_TIMEOUT).stdout())
          .versionId()
          .orElseThrow(
              () -> new HostOutputException("/etc/os-release", "VERSION_ID", "no VERSION_ID"));
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  private BottlerocketSignpost signpost() throws HostException {
    try {
      return BottlerocketSignpost.parse(
          run(BottlerocketSignpost.STATUS_COMMAND, STATUS_TIMEOUT).stdout());
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
  }

  private static HostDeployment version(String v) {
    return new HostDeployment(v, null, null, null);
  }

  @Override
  protected SelinuxFacts selinuxFacts() {
    try {
      CommandResult result = execute(SESTATUS, STATUS_TIMEOUT);
      return SelinuxFacts.fixed(Optional.of(SestatusParser.parse(result.stdout()).currentMode()));
    } catch (HostException | HostOutputException e) {
      return SelinuxFacts.fixed(Optional.empty()); // reported as unknown, never a failure
    }
  }

  @Override
  protected List<HostRefusal> otherRefusals() throws HostException {
    return BottlerocketUpdateOperator.refusals(
        run(BottlerocketUpdateOperator.NODE_LABELS, STATUS_TIMEOUT).stdout());
  }

  @Override
  public StageProgress stage(OSTarget os, SELinuxPolicy selinux, HostFacts facts)
      throws HostException {
    return staging.stage(os.getVersion());
  }

  @Override
  public void finalizeAndReboot(HostFacts facts) throws HostException {
    BottlerocketUpdateStatus s =
        api.awaitReadable(BottlerocketUpdateApi.FLAG_WRITE_BOUND, "activating the update")
            .status()
            .orElseThrow(() -> nothingToActivate("no update status in this boot"));
    if (s.state() == State.Staged) {
      activate(s);
    } else if (!(s.state() == State.Ready && s.rebootPending())) {
      throw nothingToActivate("update state " + s.state());
    }
    rebootThroughApi(api::deactivate);
  }

  /** Activates and waits until the update API shows it: {@code Ready}, the boot flags written. */
  private void activate(BottlerocketUpdateStatus s) throws HostException {
    Optional<Instant> before = BottlerocketUpdateApi.lastTimestamp(Optional.of(s));
    BottlerocketActionOutcome outcome = api.postWhenFree(ACTIVATE);
    if (!(outcome instanceof Succeeded) && !(outcome instanceof NotAllowed)) {
      throw BottlerocketUpdateApi.failure(String.join(" ", ACTIVATE), outcome);
    }
    BottlerocketUpdateStatus after =
        api.awaitCommand(
            CommandType.Activate, before, st -> st.state() == State.Ready && st.rebootPending());
    if (after.state() != State.Ready) {
      throw new HostException(
          "ActivateFailed",
          String.join(" ", ACTIVATE)
              + ": the update API reports activate "
              + after
                  .mostRecentCommand()
                  .map(c -> c.status() + ": " + c.stderr().strip())
                  .orElse("")
              + " (state "
              + after.state()
              + "); not rebooting, the next boot still boots "
              + after.runningVersion().orElse("the running version"));
    }
  }

  private static HostException nothingToActivate(String what) {
    return new HostException(
        AgentStep.NOTHING_STAGED,
        "Bottlerocket has nothing prepared to activate (" + what + "); not rebooting");
  }

  @Override
  public void rollbackAndReboot(HostFacts facts) throws HostException {
    if (!signpost().rollbackAvailable()) {
      throw new HostException(
          AgentStep.NO_ROLLBACK,
          "signpost status shows no bootable inactive partition set to roll back to");
    }
    run(ROLLBACK, STATUS_TIMEOUT);
    rebootThroughApi(() -> run(CANCEL_UPGRADE, STATUS_TIMEOUT));
  }

  /** What undoes an armed next boot. */
  private interface Disarm {
    void run() throws HostException;
  }

  /**
   * POSTs the reboot. The API server runs {@code systemctl reboot --check-inhibitors=yes}: an HTTP
   * error from it means the reboot was refused and will not happen, so the armed boot is undone.
   * Any other failure (the shutdown may kill apiclient) leaves it to the boot ID to tell.
   */
  private void rebootThroughApi(Disarm disarm) throws HostException {
    CommandResult result = execute(REBOOT, REBOOT_TIMEOUT);
    if (result.succeeded()) {
      return;
    }
    BottlerocketActionOutcome outcome;
    try {
      outcome = BottlerocketActionParser.parse(result);
    } catch (HostOutputException e) {
      throw HostException.of(e);
    }
    if (!(outcome instanceof Rejected)) {
      throw BottlerocketUpdateApi.failure(result, outcome);
    }
    disarm.run();
    throw new HostException(
        "RebootRefused",
        result.commandLine()
            + ": "
            + BottlerocketUpdateApi.describe(outcome)
            + "; the reboot will not happen, so the next boot was set back to the running version."
            + " Look for a shutdown inhibitor on the host (systemd-inhibit --list)");
  }
}
