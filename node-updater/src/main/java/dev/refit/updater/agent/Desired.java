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
 * The operator's work order, reduced to what the core decides on: the target and its revision, and
 * the instruction. The CIL sources of the policy's modules are resolved beforehand (a ConfigMap is
 * read once per step, not by the pure core), so only their digests appear here.
 *
 * @param revision the spec's desiredRevision, or empty when the spec names no target
 * @param os the OS the node must run, or null
 * @param selinux the SELinux policy the node must have, or null (leave SELinux as it is)
 * @param moduleSources the CIL source of each module of {@code selinux}, by module name
 * @param action the instruction
 * @param actionId its identity, or null
 */
public record Desired(
    Optional<String> revision,
    OSTarget os,
    SELinuxPolicy selinux,
    Map<String, String> moduleSources,
    NodeAction action,
    String actionId) {

  /** Copies the module sources. */
  public Desired {
    moduleSources = Collections.unmodifiableMap(new TreeMap<>(moduleSources));
    action = action == null ? NodeAction.None : action;
  }

  /** Nothing asked: report facts only. */
  public static final Desired NOTHING =
      new Desired(Optional.empty(), null, null, Map.of(), NodeAction.None, null);

  /** The work order of a spec, with the modules' CIL sources already resolved. */
  public static Desired of(OSNodeSpec spec, Map<String, String> moduleSources) {
    if (spec == null) {
      return NOTHING;
    }
    return new Desired(
        Optional.ofNullable(spec.getDesiredRevision()),
        spec.getOs(),
        spec.getSelinux(),
        moduleSources,
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

  /** The CIL digest of a module of the policy, if its source is known. */
  public Optional<String> moduleDigest(SELinuxModule module) {
    return Optional.ofNullable(moduleSources.get(module.getName())).map(ModuleDigests::of);
  }
}
