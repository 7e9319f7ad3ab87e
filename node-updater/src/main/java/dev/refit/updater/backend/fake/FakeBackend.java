package dev.refit.updater.backend.fake;

import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.agent.HostFacts;
import dev.refit.updater.agent.OsBackend;
import dev.refit.updater.agent.RebootRequest;
import dev.refit.updater.agent.StageProgress;
import dev.refit.updater.host.HostException;
import dev.refit.updater.selinux.HostSelinuxMode;
import dev.refit.updater.selinux.ModuleDigests;
import dev.refit.updater.selinux.SelinuxFacts;
import java.time.Duration;
import java.util.Map;

/**
 * The OS backend of a {@link FakeHost}: what the real backends do with host tools, done in memory.
 * Staging reports progress like the background tools (Bottlerocket, update_engine) do, so the
 * agent's polling path runs in tests too.
 */
public final class FakeBackend implements OsBackend {

  /** How often the agent looks again at a staging in progress, at most. */
  static final Duration MAX_POLL = Duration.ofMillis(200);

  private final FakeHost host;

  public FakeBackend(FakeHost host) {
    this.host = host;
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
    try {
      FakeHost.Snapshot s = host.snapshot();
      return new HostFacts(
          host.family(),
          s.booted(),
          s.staged(),
          s.rollback(),
          s.bootId(),
          s.selinux(),
          s.rebootRequest());
    } catch (FakeHost.FakeFailure e) {
      throw new HostException(HostException.COMMAND_FAILED, "fake status: " + e.getMessage());
    }
  }

  @Override
  public StageProgress stage(OSTarget os, SELinuxPolicy selinux, HostFacts facts)
      throws HostException {
    HostSelinuxMode mode = null;
    if (selinux != null && selinux.getMode() != null && facts.selinux().configurable()) {
      mode = HostSelinuxMode.fromText(selinux.getMode().name()).orElseThrow();
    }
    try {
      Duration left = host.stage(os, mode);
      if (left.isZero()) {
        return StageProgress.done();
      }
      Duration poll = left.compareTo(MAX_POLL) < 0 ? left : MAX_POLL;
      return StageProgress.inProgress(poll, "staging " + os + ", " + left.toMillis() + " ms left");
    } catch (FakeHost.FakeFailure e) {
      throw new HostException(HostException.COMMAND_FAILED, "fake stage: " + e.getMessage());
    }
  }

  @Override
  public void applyLive(SELinuxPolicy selinux, Map<String, String> sources, HostFacts facts) {
    if (selinux == null || !facts.selinux().configurable()) {
      return;
    }
    for (SELinuxBoolean b : selinux.getBooleans()) {
      host.setBoolean(b.getName(), b.getValue());
    }
    for (SELinuxModule m : selinux.getModules()) {
      host.install(
          new SelinuxFacts.InstalledModule(
              m.getName(), m.getPriority(), ModuleDigests.of(sources.get(m.getName()))));
    }
    for (String installed : facts.selinux().modules().keySet()) {
      if (selinux.getModules().stream().noneMatch(m -> m.getName().equals(installed))) {
        host.remove(installed);
      }
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
