package dev.refit.updater.backend.fake;

import dev.refit.api.HostDeployment;
import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.Revisions;
import dev.refit.updater.agent.RebootRequest;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostState;
import dev.refit.updater.selinux.HostSelinuxMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An in-memory host: deployments on "disk", SELinux state ({@link FakeSelinux}), a /run directory
 * that every boot empties, a /var/lib/refit that stays, and a {@link FakeMachine} that reboots.
 * What is on disk survives agent restarts (a new agent over the same FakeHost sees what the old one
 * left), as on a real host.
 *
 * <p>A boot is noticed when the machine's boot ID changes: the deployment chosen before the reboot
 * (the staged one, or the rollback) becomes the booted one, SELinux starts in its configured mode
 * with its persisted booleans, and /run is emptied. Staging takes a configurable time; failures can
 * be injected.
 */
public final class FakeHost {

  private enum NextBoot {
    SAME,
    STAGED,
    ROLLBACK
  }

  private final OSFamily family;
  private final FakeMachine machine;
  private final Clock clock;
  private Duration stageDuration = Duration.ZERO;
  private HostDeployment booted;
  private HostDeployment staged;
  private HostDeployment rollback;
  private OSTarget staging;
  private Instant stagingSince;
  private NextBoot nextBoot = NextBoot.SAME;
  private String seenBoot;
  private RebootRequest runDirRequest;
  private final FakeSelinux selinux = new FakeSelinux();
  private final HostState varLib = HostState.inMemory("/var/lib/refit");
  private String stageFailure;
  private String factsFailure;
  private boolean bootsOldDeployment;
  private final List<String> rebootRequests = new ArrayList<>();
  private int boots;

  /** A host of this family running {@code booted}, on this machine and clock. */
  public FakeHost(OSFamily family, HostDeployment booted, FakeMachine machine, Clock clock) {
    this.family = family;
    this.booted = booted;
    this.machine = machine;
    this.clock = clock;
    this.seenBoot = machine.bootId();
  }

  /** A Fedora CoreOS host running version {@code version} on an in-memory machine. */
  public static FakeHost running(String name, String version) {
    return new FakeHost(
        OSFamily.FedoraCoreOS,
        deploymentOf(OSTarget.version(version)),
        FakeMachine.inMemory(name),
        Clock.systemUTC());
  }

  /** The deployment a host shows after staging or booting this target. */
  public static HostDeployment deploymentOf(OSTarget target) {
    String checksum = Revisions.of(target, null) + "0000";
    if (target.getImage() != null) {
      String image = target.getImage();
      int at = image.indexOf('@');
      String digest = at > 0 ? image.substring(at + 1) : "sha256:" + checksum;
      return new HostDeployment(null, image, digest, checksum);
    }
    return new HostDeployment(target.getVersion(), null, null, checksum);
  }

  // --- configuration and fault injection ---------------------------------------------------

  /** Staging takes this long (measured on the host's clock). */
  public synchronized FakeHost stageDuration(Duration duration) {
    this.stageDuration = duration;
    return this;
  }

  /** Every staging fails with this message; null to stop failing. */
  public synchronized FakeHost failStaging(String message) {
    this.stageFailure = message;
    return this;
  }

  /** Reading the facts fails with this message; null to stop failing. */
  public synchronized FakeHost failFacts(String message) {
    this.factsFailure = message;
    return this;
  }

  /** The next boots come up in the old deployment, as a boot-time self-rollback would. */
  public synchronized FakeHost bootsOldDeployment(boolean value) {
    this.bootsOldDeployment = value;
    return this;
  }

  /** The host has this deployment to roll back to. */
  public synchronized FakeHost withRollback(HostDeployment deployment) {
    this.rollback = deployment;
    return this;
  }

  /** The host runs in this SELinux mode, configured the same. */
  public synchronized FakeHost withSelinuxMode(HostSelinuxMode value) {
    selinux.withMode(value);
    return this;
  }

  /**
   * The host's SELinux: what the tools would show, and the hand-made changes a person makes. Boots
   * are applied first, so what it shows is what this boot runs.
   */
  public synchronized FakeSelinux selinux() {
    observeBoot();
    return selinux;
  }

  // --- what tests look at -------------------------------------------------------------------

  public OSFamily family() {
    return family;
  }

  /** How many times a reboot was requested, by instruction, in order. */
  public synchronized List<String> rebootRequests() {
    observeBoot();
    return List.copyOf(rebootRequests);
  }

  /** How many boots the host went through since it was created. */
  public synchronized int boots() {
    observeBoot();
    return boots;
  }

  public synchronized HostDeployment booted() {
    observeBoot();
    return booted;
  }

  public synchronized Optional<HostDeployment> staged() {
    observeBoot();
    return Optional.ofNullable(staged);
  }

  // --- what the backend does ---------------------------------------------------------------

  synchronized Snapshot snapshot() throws FakeFailure {
    observeBoot();
    if (factsFailure != null) {
      throw new FakeFailure(factsFailure);
    }
    return new Snapshot(
        booted,
        Optional.ofNullable(staged),
        // Like the real backends: a family without rollback never reports a deployment to return
        // to.
        family.rollbackSupported() ? Optional.ofNullable(rollback) : Optional.empty(),
        machine.bootId(),
        Optional.ofNullable(runDirRequest));
  }

  /** The host's SELinux tools, as the agent's SelinuxTools runs them. */
  synchronized CommandRunner selinuxCommands() {
    return new FakeSelinuxCommands(selinux, varLib);
  }

  /** The host's /var/lib/refit, kept across boots and agent restarts. */
  HostState varLib() {
    return varLib;
  }

  /** Starts or continues staging; returns the time left, zero when staged. */
  synchronized Duration stage(OSTarget target) throws FakeFailure {
    observeBoot();
    if (stageFailure != null) {
      throw new FakeFailure(stageFailure);
    }
    if (deploymentOf(target).equals(booted)) {
      staged = null;
      return Duration.ZERO;
    }
    if (staged != null && staged.equals(deploymentOf(target))) {
      return Duration.ZERO;
    }
    Instant now = clock.instant();
    if (!target.equals(staging)) {
      staging = target;
      stagingSince = now;
    }
    Duration left = stageDuration.minus(Duration.between(stagingSince, now));
    if (left.isNegative() || left.isZero()) {
      staged = deploymentOf(target);
      staging = null;
      nextBoot = NextBoot.STAGED;
      return Duration.ZERO;
    }
    return left;
  }

  synchronized void recordRebootRequest(RebootRequest request) {
    runDirRequest = request;
  }

  synchronized void reboot(boolean intoRollback) {
    observeBoot();
    nextBoot = intoRollback ? NextBoot.ROLLBACK : staged != null ? NextBoot.STAGED : NextBoot.SAME;
    rebootRequests.add(runDirRequest == null ? "(unrecorded)" : runDirRequest.actionId());
    machine.reboot();
    observeBoot();
  }

  /** Applies a boot that happened since the last look. */
  private void observeBoot() {
    String now = machine.bootId();
    if (now.equals(seenBoot)) {
      return;
    }
    seenBoot = now;
    boots++;
    runDirRequest = null;
    selinux.boot();
    if (bootsOldDeployment) {
      nextBoot = NextBoot.SAME;
    }
    switch (nextBoot) {
      case STAGED -> {
        if (staged != null) {
          rollback = booted;
          booted = staged;
          staged = null;
        }
      }
      case ROLLBACK -> {
        if (rollback != null) {
          HostDeployment previous = booted;
          booted = rollback;
          rollback = previous;
          staged = null;
        }
      }
      case SAME -> {}
    }
    nextBoot = staged != null ? NextBoot.STAGED : NextBoot.SAME;
  }

  /** What the backend reads in one go. */
  record Snapshot(
      HostDeployment booted,
      Optional<HostDeployment> staged,
      Optional<HostDeployment> rollback,
      String bootId,
      Optional<RebootRequest> rebootRequest) {}

  /** An injected failure. */
  static final class FakeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    FakeFailure(String message) {
      super(message);
    }
  }
}
