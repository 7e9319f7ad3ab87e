package dev.refit.updater.backend;

import dev.refit.api.HostDeployment;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.agent.HostRefusal;
import dev.refit.updater.agent.OsBackend;
import dev.refit.updater.agent.RebootRequest;
import dev.refit.updater.agent.TargetMatch;
import dev.refit.updater.host.CommandException;
import dev.refit.updater.host.CommandResult;
import dev.refit.updater.host.CommandRunner;
import dev.refit.updater.host.HostException;
import dev.refit.updater.selinux.SelinuxFacts;
import dev.refit.updater.selinux.SelinuxTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every real backend shares: host commands through one runner (errors become {@link
 * HostException}s quoting the command), the boot ID and reboot request, and SELinux through {@link
 * SelinuxTools} (absent where the policy is fixed).
 */
public abstract class CommandBackend implements OsBackend {

  /** Status commands answer in seconds. */
  public static final Duration STATUS_TIMEOUT = Duration.ofSeconds(60);

  /** Downloads of a whole OS image may take long on a slow registry. */
  public static final Duration STAGE_TIMEOUT = Duration.ofMinutes(60);

  /** A reboot request returns as soon as systemd accepted it. */
  public static final Duration REBOOT_TIMEOUT = Duration.ofMinutes(2);

  /** The reboot command of systemd hosts (rpm-ostree, bootc, Flatcar). */
  public static final List<String> SYSTEMCTL_REBOOT = List.of("systemctl", "reboot");

  protected final CommandRunner runner;
  protected final HostBoot boot;
  protected final SelinuxTools selinux;

  protected CommandBackend(CommandRunner runner, HostBoot boot, SelinuxTools selinux) {
    this.runner = runner;
    this.boot = boot;
    this.selinux = selinux;
  }

  /** The OS deployments: booted, staged, rollback. */
  protected abstract Deployments deployments() throws HostException;

  /**
   * The three deployments a host has at most, and what the same read of the update tool showed that
   * makes an update unsafe (a registered update driver, say).
   */
  public record Deployments(
      HostDeployment booted,
      Optional<HostDeployment> staged,
      Optional<HostDeployment> rollback,
      List<HostRefusal> refusals) {

    /** Deployments of a host nothing makes unsafe. */
    public Deployments(
        HostDeployment booted, Optional<HostDeployment> staged, Optional<HostDeployment> rollback) {
      this(booted, staged, rollback, List.of());
    }
  }

  /**
   * What else on the host makes an update unsafe, found by commands of their own (another reboot
   * manager's unit, say); none by default.
   */
  protected List<HostRefusal> otherRefusals() throws HostException {
    return List.of();
  }

  @Override
  public HostFacts facts() throws HostException {
    Deployments d = deployments();
    List<HostRefusal> refusals = new ArrayList<>(d.refusals());
    refusals.addAll(otherRefusals());
    return new HostFacts(
        family(),
        d.booted(),
        d.staged(),
        d.rollback(),
        boot.bootId(),
        selinuxFacts(),
        boot.request(),
        refusals);
  }

  /** The SELinux facts; a backend with a fixed policy overrides this. */
  protected SelinuxFacts selinuxFacts() throws HostException {
    return selinux.facts();
  }

  @Override
  public void applyLive(SELinuxPolicy policy, Map<String, String> sources, HostFacts facts)
      throws HostException {
    if (policy != null && facts.selinux().configurable()) {
      selinux.applyLive(policy, sources, facts.selinux());
    }
  }

  /**
   * Configures the policy's SELinux mode for the next boot where SELinux is off in this one: only a
   * boot turns it on. Elsewhere the mode is no part of staging; it applies live, with the booleans
   * and modules, when the operator says Apply.
   */
  protected void stageSelinuxMode(SELinuxPolicy policy, HostFacts facts) throws HostException {
    if (selinux != null && TargetMatch.modeNeedsBoot(policy, facts)) {
      selinux.configureBootMode(policy.getMode(), facts.selinux());
    }
  }

  @Override
  public void recordRebootRequest(RebootRequest request) {
    boot.record(request);
  }

  /** Runs a command that must succeed. */
  public CommandResult run(List<String> argv, Duration timeout) throws HostException {
    try {
      return runner.run(argv, timeout);
    } catch (CommandException e) {
      throw HostException.of(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostException(
          HostException.COMMAND_FAILED, String.join(" ", argv) + ": interrupted");
    }
  }

  /** Runs a command whose non-zero exit carries information. */
  public CommandResult execute(List<String> argv, Duration timeout) throws HostException {
    try {
      return runner.execute(argv, timeout);
    } catch (CommandException e) {
      throw HostException.of(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostException(
          HostException.COMMAND_FAILED, String.join(" ", argv) + ": interrupted");
    }
  }
}
