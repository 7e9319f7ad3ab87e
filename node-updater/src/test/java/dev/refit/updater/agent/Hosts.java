package dev.refit.updater.agent;

import dev.refit.api.HostDeployment;
import dev.refit.api.NodeAction;
import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.selinux.HostSelinuxMode;
import dev.refit.updater.selinux.SelinuxFacts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small builders of facts and work orders for the core's tests. */
final class Hosts {

  static final String OLD = "40.20241201.3.0";
  static final String NEW = "41.20250101.3.0";
  static final OSTarget TARGET = OSTarget.version(NEW);
  static final String REVISION = "0123456789ab";

  private Hosts() {}

  static HostDeployment version(String v) {
    return new HostDeployment(v, null, null, "c-" + v);
  }

  static SelinuxFacts selinux(HostSelinuxMode mode, HostSelinuxMode configured) {
    return new SelinuxFacts(
        true, Optional.of(mode), Optional.of(configured), Map.of("virt_use_nfs", false), Map.of());
  }

  /** SELinux as a host that booted with it disabled reports it: off now, this mode at boot. */
  static SelinuxFacts disabled(HostSelinuxMode configured) {
    return new SelinuxFacts(
        false, Optional.of(HostSelinuxMode.DISABLED), Optional.of(configured), Map.of(), Map.of());
  }

  /** A Fedora CoreOS host in boot {@code bootId} running {@code booted}. */
  static HostFacts host(String bootId, HostDeployment booted) {
    return new HostFacts(
        OSFamily.FedoraCoreOS,
        booted,
        Optional.empty(),
        Optional.empty(),
        bootId,
        selinux(HostSelinuxMode.ENFORCING, HostSelinuxMode.ENFORCING),
        Optional.empty());
  }

  static HostFacts withStaged(HostFacts f, HostDeployment staged) {
    return new HostFacts(
        f.family(),
        f.booted(),
        Optional.of(staged),
        f.rollback(),
        f.bootId(),
        f.selinux(),
        f.rebootRequest());
  }

  static HostFacts withRollback(HostFacts f, HostDeployment rollback) {
    return new HostFacts(
        f.family(),
        f.booted(),
        f.staged(),
        Optional.of(rollback),
        f.bootId(),
        f.selinux(),
        f.rebootRequest());
  }

  static HostFacts withRequest(HostFacts f, String actionId, Instant at) {
    return new HostFacts(
        f.family(),
        f.booted(),
        f.staged(),
        f.rollback(),
        f.bootId(),
        f.selinux(),
        Optional.of(new RebootRequest(actionId, f.bootId(), at)));
  }

  static HostFacts withSelinux(HostFacts f, SelinuxFacts selinux) {
    return new HostFacts(
        f.family(), f.booted(), f.staged(), f.rollback(), f.bootId(), selinux, f.rebootRequest());
  }

  static HostFacts withFamily(HostFacts f, OSFamily family) {
    return new HostFacts(
        family, f.booted(), f.staged(), f.rollback(), f.bootId(), f.selinux(), f.rebootRequest());
  }

  /** The same host with another agent that would reboot it on its own. */
  static HostFacts refused(HostFacts f) {
    return f.withRefusals(
        List.of(
            new HostRefusal(
                "RebootManagerActive", "locksmithd would reboot this node on its own")));
  }

  static Desired order(NodeAction action, String actionId) {
    return order(TARGET, null, action, actionId);
  }

  static Desired order(OSTarget os, SELinuxPolicy selinux, NodeAction action, String actionId) {
    return new Desired(Optional.of(REVISION), os, selinux, Map.of(), action, actionId);
  }
}
