package dev.refit.updater.agent;

import dev.refit.api.HostDeployment;
import dev.refit.api.OSFamily;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.selinux.HostSelinuxMode;
import dev.refit.updater.selinux.ModuleDigests;
import dev.refit.updater.selinux.SelinuxFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether what a host runs (or has staged) is what the work order asks for. Pure functions, so the
 * revision the agent reports is exactly as right as these rules.
 *
 * <p>Image targets match by digest when they are digest-pinned ({@code repo@sha256:...}): the
 * digest names the content, wherever it was pulled from. Tagged targets match by the reference the
 * host recorded, since a tag names no content. Version targets match the version the OS tool
 * reports.
 */
public final class TargetMatch {

  private TargetMatch() {}

  /** Whether a deployment is the target OS. */
  public static boolean os(Optional<HostDeployment> deployment, OSTarget target, OSFamily family) {
    if (deployment.isEmpty() || target == null || !supported(target, family)) {
      return false;
    }
    HostDeployment d = deployment.get();
    if (target.getVersion() != null) {
      return target.getVersion().equals(d.getVersion());
    }
    String image = target.getImage();
    int at = image.indexOf('@');
    if (at > 0) {
      return image.substring(at + 1).equals(d.getDigest());
    }
    return image.equals(d.getImage());
  }

  /** Whether the family can be moved to this kind of target at all. */
  public static boolean supported(OSTarget target, OSFamily family) {
    return target.getImage() != null ? family.acceptsImage() : family.acceptsVersion();
  }

  /** Why the target cannot be used on this family, or empty if it can. */
  public static Optional<String> unsupportedReason(OSTarget target, OSFamily family) {
    if (target.getFamily() != null && target.getFamily() != family) {
      return Optional.of(
          "the target is meant for " + target.getFamily() + " but this host runs " + family);
    }
    if (!supported(target, family)) {
      return Optional.of(
          target.getImage() != null
              ? family + " is updated by release version: set os.version, not os.image"
              : family + " hosts switch to a container image: set os.image, not os.version");
    }
    return Optional.empty();
  }

  /**
   * Whether the host has the policy in force now: mode running and configured for the next boot,
   * every listed boolean at its value, every listed module installed at its priority from the
   * source whose digest the work order names, and no module Refit installed left over. A host whose
   * SELinux cannot be configured (Bottlerocket's fixed policy, or SELinux off in this boot)
   * satisfies any policy here: see {@link #modeNeedsBoot} for the one case a boot can change.
   */
  public static boolean selinuxApplied(Desired desired, SelinuxFacts facts) {
    SELinuxPolicy policy = desired.selinux();
    if (policy == null || !facts.configurable()) {
      return true;
    }
    return modeIs(facts.mode(), policy)
        && modeIs(facts.configuredMode(), policy)
        && liveApplied(desired, facts);
  }

  /** Whether the booleans and modules (the parts that apply without a reboot) are in force. */
  public static boolean liveApplied(Desired desired, SelinuxFacts facts) {
    SELinuxPolicy policy = desired.selinux();
    if (policy == null || !facts.configurable()) {
      return true;
    }
    for (SELinuxBoolean b : policy.getBooleans()) {
      if (!b.getValue().equals(facts.booleans().get(b.getName()))) {
        return false;
      }
    }
    if (!toInstall(desired, facts).isEmpty()) {
      return false;
    }
    // a copy Refit left at an older priority would be in force again once the newer one goes
    return facts.superseded().isEmpty()
        && facts.modules().keySet().stream()
            .allMatch(n -> policy.getModules().stream().anyMatch(m -> m.getName().equals(n)));
  }

  /**
   * The policy's modules whose copy in force is missing, at another priority, or installed from a
   * source other than the one the work order's digest names: the only ones whose source the agent
   * reads. Decided from the digests alone, so a module installed as declared is applied whatever
   * its ConfigMap holds now.
   */
  public static List<SELinuxModule> toInstall(Desired desired, SelinuxFacts facts) {
    SELinuxPolicy policy = desired.selinux();
    if (policy == null || !facts.configurable()) {
      return List.of();
    }
    List<SELinuxModule> modules = new ArrayList<>();
    for (SELinuxModule m : policy.getModules()) {
      SelinuxFacts.InstalledModule installed = facts.modules().get(m.getName());
      Optional<String> digest = desired.moduleDigest(m);
      if (installed == null
          || installed.priority() != m.getPriority()
          || digest.isPresent() && !ModuleDigests.matches(digest.get(), installed.digest())) {
        modules.add(m);
      }
    }
    return modules;
  }

  /**
   * Whether reaching the target from what runs now takes a reboot: another OS, or SELinux to turn
   * on. Everything else (booleans, modules, Enforcing and Permissive) applies live.
   */
  public static boolean needsReboot(Desired desired, HostFacts facts) {
    return !os(Optional.of(facts.booted()), desired.os(), facts.family())
        || modeNeedsBoot(desired, facts);
  }

  /**
   * Whether the policy names a mode on a host of a family that can run it, but SELinux is off in
   * this boot (getenforce says Disabled): setenforce refuses then, and only a boot with the mode in
   * /etc/selinux/config loads the policy.
   */
  public static boolean modeNeedsBoot(Desired desired, HostFacts facts) {
    return modeNeedsBoot(desired.selinux(), facts);
  }

  /** {@link #modeNeedsBoot(Desired, HostFacts)} for a policy alone, as a backend stages it. */
  public static boolean modeNeedsBoot(SELinuxPolicy policy, HostFacts facts) {
    return policy != null
        && policy.getMode() != null
        && facts.family().selinuxConfigurable()
        && facts.selinux().mode().filter(HostSelinuxMode.DISABLED::equals).isPresent();
  }

  /** Whether the next boot turns SELinux on in the policy's mode, where it is off in this one. */
  public static boolean bootModeConfigured(Desired desired, HostFacts facts) {
    return !modeNeedsBoot(desired, facts)
        || modeIs(facts.selinux().configuredMode(), desired.selinux());
  }

  private static boolean modeIs(Optional<HostSelinuxMode> mode, SELinuxPolicy policy) {
    return policy.getMode() == null
        || mode.flatMap(HostSelinuxMode::toApi).map(policy.getMode()::equals).orElse(false);
  }
}
