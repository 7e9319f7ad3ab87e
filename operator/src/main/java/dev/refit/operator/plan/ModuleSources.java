package dev.refit.operator.plan;

import dev.refit.api.ConfigMapKeyRef;
import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.PolicyReasons;
import dev.refit.api.Revisions;
import dev.refit.api.SELinuxModule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The revision a policy's round rolls out, from the CIL content of its SELinux modules: inline, or
 * as read from the ConfigMaps they name. When a ConfigMap cannot be read the revision cannot be
 * told, so the round keeps the last revision the policy rolled out (its {@code
 * status.targetRevision}, with the digests its OSNodes carry for it) and reports the problem: no
 * node is given a revision that was not computed from the CIL, and no node on the last one is
 * disturbed. Pure: what was read comes in as {@link Read}s.
 */
public final class ModuleSources {

  private ModuleSources() {}

  /** What reading one module's ConfigMap key gave. */
  public sealed interface Read {

    /** The key's value, the module's CIL. */
    record Found(String cil) implements Read {}

    /**
     * The key could not be read.
     *
     * @param why what is wrong, in words that complete "ConfigMap ns/name[key] ..."
     * @param fix what a person does about it
     */
    record Missing(String why, String fix) implements Read {}
  }

  /**
   * What the round rolls out.
   *
   * @param revision the revision the policy's nodes must reach
   * @param moduleDigests the digest of each module's CIL by module name, for the OSNodes' specs;
   *     null when the policy has no modules (or none whose digest is known)
   * @param problems the modules whose source could not be read, one {@link
   *     PolicyReasons#MODULE_SOURCE_UNAVAILABLE} problem each; empty when all were read
   */
  public record Target(
      String revision, Map<String, String> moduleDigests, List<SpecProblem> problems) {

    /** Copies the digests (sorted) and the problems. */
    public Target {
      moduleDigests =
          moduleDigests == null || moduleDigests.isEmpty()
              ? null
              : java.util.Collections.unmodifiableMap(new TreeMap<>(moduleDigests));
      problems = List.copyOf(problems);
    }
  }

  /**
   * The round's target.
   *
   * @param given the policy's spec (null: stored without one)
   * @param reads what reading each ConfigMap-sourced module gave, by module name
   * @param lastRevision the revision the policy last rolled out ({@code status.targetRevision}), or
   *     null
   * @param ours the policy's OSNodes, whose specs carry the digests of the revision they were given
   */
  public static Target target(
      OSUpdatePolicySpec given,
      Map<String, Read> reads,
      String lastRevision,
      Collection<OSNode> ours) {
    OSUpdatePolicySpec spec = given == null ? new OSUpdatePolicySpec() : given;
    List<SELinuxModule> modules =
        spec.getSelinux() == null ? List.of() : spec.getSelinux().getModules();
    Map<String, String> cil = new LinkedHashMap<>();
    List<SpecProblem> problems = new ArrayList<>();
    for (int i = 0; i < modules.size(); i++) {
      SELinuxModule module = modules.get(i);
      if (module.getCil() != null) {
        cil.put(module.getName(), module.getCil());
      } else if (module.getConfigMapRef() != null) {
        Read read = reads.get(module.getName());
        if (read instanceof Read.Found found) {
          cil.put(module.getName(), found.cil());
        } else {
          problems.add(problem(i, module, read, lastRevision));
        }
      }
    }
    if (problems.isEmpty()) {
      Map<String, String> digests = new LinkedHashMap<>();
      cil.forEach((name, source) -> digests.put(name, Revisions.moduleDigest(source)));
      return new Target(Revisions.of(spec.getOs(), spec.getSelinux(), cil), digests, problems);
    }
    if (lastRevision == null) {
      // never read: the nodes get a revision that names the reference, and nothing starts until
      // the source is read (the problems hold the round); staging needs no module source
      return new Target(Revisions.of(spec.getOs(), spec.getSelinux(), cil), null, problems);
    }
    Map<String, String> digests =
        ours.stream()
            .map(OSNode::getSpec)
            .filter(Objects::nonNull)
            .filter(s -> lastRevision.equals(s.getDesiredRevision()))
            .map(s -> s.getModuleDigests())
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
    return new Target(lastRevision, digests, problems);
  }

  private static SpecProblem problem(
      int index, SELinuxModule module, Read read, String lastRevision) {
    ConfigMapKeyRef ref = module.getConfigMapRef();
    Read.Missing missing =
        read instanceof Read.Missing m
            ? m
            : new Read.Missing("has not been read yet", "wait; Refit reads it as its watch starts");
    String field = "spec.selinux.modules[" + index + "].configMapRef";
    return new SpecProblem(
        PolicyReasons.MODULE_SOURCE_UNAVAILABLE,
        "SELinux module "
            + module.getName()
            + ": ConfigMap "
            + ref.getNamespace()
            + "/"
            + ref.getName()
            + " key "
            + ref.getKey()
            + " ("
            + field
            + ") "
            + missing.why()
            + "; "
            + missing.fix()
            + ". The rollout holds "
            + (lastRevision == null
                ? "(no node starts)"
                : "at revision " + lastRevision + " (no node starts; nodes on it stay as they are)")
            + " and resumes by itself once the CIL can be read.");
  }
}
