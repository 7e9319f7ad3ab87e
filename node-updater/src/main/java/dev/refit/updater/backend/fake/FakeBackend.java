package dev.refit.updater.backend.fake;

import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.agent.OsBackend;
import dev.refit.updater.agent.RebootRequest;
import dev.refit.updater.agent.StageProgress;
import dev.refit.updater.agent.TargetMatch;
import dev.refit.updater.host.HostException;
import dev.refit.updater.selinux.SelinuxFacts;
import dev.refit.updater.selinux.SelinuxTools;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The OS backend of a {@link FakeHost}: what the real backends do with host tools, done in memory.
 * Staging reports progress like the background tools (Bottlerocket, update_engine) do, so the
 * agent's polling path runs in tests too.
 */
public final class FakeBackend implements OsBackend {

  /** How often the agent looks again at a staging in progress, at most. */
  static final Duration MAX_POLL = Duration.ofMillis(200);

  private final FakeHost host;
  private final SelinuxTools selinux;

  public FakeBackend(FakeHost host) {
    this.host = host;
    this.selinux = new SelinuxTools(host.selinuxCommands(), host.varLib());
  }

  public FakeHost host() {
    return host;
  }

  @Override
  public OSFamily family() {
    return host.family();
  }

  @Override
  public HostFacts facts() throws HostException {
    FakeHost.Snapshot s;
    try {
      s = host.snapshot();
    } catch (FakeHost.FakeFailure e) {
      throw new HostException(HostException.COMMAND_FAILED, "fake status: " + e.getMessage());
    }
    // read after the snapshot, which applied any boot: this boot's SELinux
    SelinuxFacts selinuxFacts =
        host.family().selinuxConfigurable()
            ? selinux.facts()
            : SelinuxFacts.fixed(Optional.of(host.selinux().mode()));
    return new HostFacts(
        host.family(),
        s.booted(),
        s.staged(),
        s.rollback(),
        s.bootId(),
        selinuxFacts,
        s.rebootRequest());
  }

  /** Stages the OS; the SELinux mode only where SELinux is off in this boot, as the real ones. */
  @Override
  public StageProgress stage(OSTarget os, SELinuxPolicy policy, HostFacts facts)
      throws HostException {
    try {
      Duration left = host.stage(os);
      if (!left.isZero()) {
        Duration poll = left.compareTo(MAX_POLL) < 0 ? left : MAX_POLL;
        return StageProgress.inProgress(
            poll, "staging " + os + ", " + left.toMillis() + " ms left");
      }
    } catch (FakeHost.FakeFailure e) {
      throw new HostException(HostException.COMMAND_FAILED, "fake stage: " + e.getMessage());
    }
    if (host.family().selinuxConfigurable() && TargetMatch.modeNeedsBoot(policy, facts)) {
      selinux.configureBootMode(policy.getMode(), facts.selinux());
    }
    return StageProgress.done();
  }

  /** SELinux through the agent's own SelinuxTools, over the host's {@link FakeSelinux}. */
  @Override
  public void applyLive(SELinuxPolicy policy, Map<String, String> sources, HostFacts facts)
      throws HostException {
    if (policy != null && facts.selinux().configurable()) {
      selinux.applyLive(policy, sources, facts.selinux());
    }
  }

  @Override
  public void recordRebootRequest(RebootRequest request) {
    host.recordRebootRequest(request);
  }

  @Override
  public void finalizeAndReboot(HostFacts facts) {
    host.reboot(false);
  }

  @Override
  public void rollbackAndReboot(HostFacts facts) {
    host.reboot(true);
  }
}
