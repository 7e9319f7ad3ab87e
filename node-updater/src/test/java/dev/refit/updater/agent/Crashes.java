package dev.refit.updater.agent;

import dev.refit.api.OSFamily;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.host.HostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kills the agent at a chosen point: before the n-th call it makes to the host or the API, it
 * throws {@link Crash}, which nothing in the agent catches, as a SIGKILL would stop it there.
 */
final class Crashes {

  /** The agent process died. */
  static final class Crash extends Error {
    private static final long serialVersionUID = 1L;

    Crash(String where) {
      super("crashed before " + where);
    }
  }

  private final int crashAt;
  private int calls;
  private final List<String> trace = new ArrayList<>();

  /** Crash before call number {@code crashAt} (0-based); -1 never. */
  Crashes(int crashAt) {
    this.crashAt = crashAt;
  }

  int calls() {
    return calls;
  }

  List<String> trace() {
    return trace;
  }

  private void point(String where) {
    trace.add(where);
    if (calls++ == crashAt) {
      throw new Crash(where);
    }
  }

  StatusSink sink(StatusSink sink) {
    return (OSNode osNode, OSNodeStatus status) -> {
      point("write " + status.getActionState());
      return sink.write(osNode, status);
    };
  }

  OsBackend backend(OsBackend backend) {
    return new OsBackend() {
      @Override
      public OSFamily family() {
        return backend.family();
      }

      @Override
      public HostFacts facts() throws HostException {
        point("facts");
        return backend.facts();
      }

      @Override
      public StageProgress stage(OSTarget os, SELinuxPolicy selinux, HostFacts facts)
          throws HostException {
        point("stage");
        return backend.stage(os, selinux, facts);
      }

      @Override
      public void applyLive(SELinuxPolicy selinux, Map<String, String> sources, HostFacts facts)
          throws HostException {
        point("applyLive");
        backend.applyLive(selinux, sources, facts);
      }

      @Override
      public void recordRebootRequest(RebootRequest request) throws HostException {
        point("recordRebootRequest");
        backend.recordRebootRequest(request);
      }

      @Override
      public void finalizeAndReboot(HostFacts facts) throws HostException {
        point("finalizeAndReboot");
        backend.finalizeAndReboot(facts);
      }

      @Override
      public void rollbackAndReboot(HostFacts facts) throws HostException {
        point("rollbackAndReboot");
        backend.rollbackAndReboot(facts);
      }
    };
  }
}
