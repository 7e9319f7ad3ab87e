package dev.refit.updater.agent;

import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.host.HostException;
import java.util.Map;

/**
 * One OS family's update tool, behind the operations the agent needs. Every operation is
 * idempotent: called again after an agent restart, it continues or confirms what is already done,
 * and never repeats a disruption (the agent's core decides when a reboot is due; a backend only
 * carries it out).
 *
 * <p>This is the agent's port: the agent owns the interface and the types in its signatures, and
 * the backend layer implements it, one package per OS family under {@code backend}, plus {@code
 * backend.fake} for tests and the simulator. {@code backend.Backends.detect} picks one from the
 * host's /etc/os-release.
 */
public interface OsBackend {

  /** The family this backend updates. */
  OSFamily family();

  /** Reads the host's facts: deployments, boot ID, SELinux, the reboot request of this boot. */
  HostFacts facts() throws HostException;

  /**
   * A new instruction begins (its first step, in this agent's life or after a restart): forget
   * whatever was learnt while carrying out an earlier one, so a transient failure then (a version
   * not offered yet, a prepare that failed) is checked again rather than held against this one.
   */
  default void instructionStarted(String actionId) {}

  /**
   * Stages the target without disruption: downloads and prepares the OS so that only a finalize and
   * reboot remain (the current boot is untouched), and configures the SELinux mode for the next
   * boot. Returns once done, or at once if the tool works on in the background.
   */
  StageProgress stage(OSTarget os, SELinuxPolicy selinux, HostFacts facts) throws HostException;

  /**
   * Applies what applies without a reboot: SELinux booleans and modules. {@code moduleSources}
   * holds the CIL of every module to install (read and checked against the work order's digest) and
   * of every inline module; a module without a source here keeps the copy it has.
   */
  void applyLive(SELinuxPolicy selinux, Map<String, String> moduleSources, HostFacts facts)
      throws HostException;

  /**
   * Records on the host, in storage every boot starts empty (/run), that a reboot is requested for
   * an instruction. Called just before {@link #finalizeAndReboot} or {@link #rollbackAndReboot}.
   */
  void recordRebootRequest(RebootRequest request) throws HostException;

  /** Makes the staged deployment the next boot's and reboots. Returns once the reboot is asked. */
  void finalizeAndReboot(HostFacts facts) throws HostException;

  /** Makes the rollback deployment the next boot's and reboots. */
  void rollbackAndReboot(HostFacts facts) throws HostException;
}
