package dev.refit.updater.agent;

import dev.refit.api.NodeAction;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.selinux.ModuleDigests;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The operator's work order, reduced to what the core decides on: the target and its revision, the
 * digest of each module's CIL the revision was computed from, and the instruction. The agent judges
 * its installed modules by these digests and never reads a module's source to do so; it reads a
 * source only to install it ({@link NodeAgent}).
 *
 * @param revision the spec's desiredRevision, or empty when the spec names no target
 * @param os the OS the node must run, or null
 * @param selinux the SELinux policy the node must have, or null (leave SELinux as it is)
 * @param moduleDigests the digest of each module's CIL source by module name, as the spec declares
 *     it ({@code spec.moduleDigests}) or, for an inline module, as its CIL gives it; a module
 *     without one (a spec written by an operator older than the digests) is judged by its name and
 *     priority alone
 * @param action the instruction
 * @param actionId its identity, or null
 */
public record Desired(
    Optional<String> revision,
    OSTarget os,
    SELinuxPolicy selinux,
    Map<String, String> moduleDigests,
    NodeAction action,
    String actionId) {

  /** Copies the module digests. */
  public Desired {
    moduleDigests = Collections.unmodifiableMap(new TreeMap<>(moduleDigests));
    action = action == null ? NodeAction.None : action;
  }

  /** Nothing asked: report facts only. */
  public static final Desired NOTHING =
      new Desired(Optional.empty(), null, null, Map.of(), NodeAction.None, null);

  /** The work order of a spec. */
  public static Desired of(OSNodeSpec spec) {
    if (spec == null) {
      return NOTHING;
    }
    Map<String, String> digests = new TreeMap<>();
    if (spec.getSelinux() != null) {
      for (SELinuxModule m : spec.getSelinux().getModules()) {
        if (m.getCil() != null) {
          digests.put(m.getName(), ModuleDigests.of(m.getCil()));
        }
      }
    }
    if (spec.getModuleDigests() != null) {
      digests.putAll(spec.getModuleDigests());
    }
    return new Desired(
        Optional.ofNullable(spec.getDesiredRevision()),
        spec.getOs(),
        spec.getSelinux(),
        digests,
        spec.getAction(),
        spec.getActionId());
  }

  /** Whether there is a target to compare the host with. */
  public boolean hasTarget() {
    return revision.isPresent() && os != null;
  }

  /** Whether an instruction is given. */
  public boolean instructed() {
    return action != NodeAction.None && actionId != null;
  }

  /** The digest a module of the policy must be installed from, if the work order says. */
  public Optional<String> moduleDigest(SELinuxModule module) {
    return Optional.ofNullable(moduleDigests.get(module.getName()));
  }
}
