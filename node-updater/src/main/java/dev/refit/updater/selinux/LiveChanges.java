package dev.refit.updater.selinux;

import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.selinux.SelinuxFacts.InstalledModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a live apply changes in the host's policy store, decided from the policy and the facts
 * alone: booleans to set, module copies to install, and copies Refit installed to remove (modules
 * that left the policy, and the copies at a priority the policy no longer names, so a priority
 * change never leaves the old copy in force).
 *
 * @param booleans {@code name=on} or {@code name=off} for each boolean whose value differs
 * @param installs the copies to install, in the policy's order
 * @param removals the copies Refit installed to remove, each at the priority it was installed at
 */
public record LiveChanges(
    List<String> booleans, List<InstalledModule> installs, List<InstalledModule> removals) {

  /** Copies the lists. */
  public LiveChanges {
    booleans = List.copyOf(booleans);
    installs = List.copyOf(installs);
    removals = List.copyOf(removals);
  }

  /**
   * The changes that bring the host to the policy. {@code digests} are those of the module sources
   * by module name; a module without one is taken to have the source it is installed with (the
   * sources are read only when a change is applied).
   */
  public static LiveChanges of(
      SELinuxPolicy policy, Map<String, String> digests, SelinuxFacts facts) {
    List<String> booleans = new ArrayList<>();
    for (SELinuxBoolean b : policy.getBooleans()) {
      if (!b.getValue().equals(facts.booleans().get(b.getName()))) {
        booleans.add(b.getName() + "=" + (b.getValue() ? "on" : "off"));
      }
    }
    List<InstalledModule> installs = new ArrayList<>();
    for (SELinuxModule m : policy.getModules()) {
      Optional<InstalledModule> inForce = Optional.ofNullable(facts.modules().get(m.getName()));
      String digest =
          Optional.ofNullable(digests.get(m.getName()))
              .or(() -> inForce.map(InstalledModule::digest))
              .orElse("");
      InstalledModule wanted = new InstalledModule(m.getName(), m.getPriority(), digest);
      boolean same =
          inForce
              .filter(f -> f.priority() == wanted.priority())
              .filter(f -> ModuleDigests.matches(wanted.digest(), f.digest()))
              .isPresent();
      if (!same) {
        installs.add(wanted);
      }
    }
    List<InstalledModule> removals =
        Stream.concat(facts.modules().values().stream(), facts.superseded().stream())
            .filter(
                copy ->
                    policy.getModules().stream()
                        .noneMatch(
                            m ->
                                m.getName().equals(copy.name())
                                    && m.getPriority() == copy.priority()))
            .toList();
    return new LiveChanges(booleans, installs, removals);
  }

  /** Whether the host already is as the policy says: nothing to write. */
  public boolean none() {
    return booleans.isEmpty() && installs.isEmpty() && removals.isEmpty();
  }
}
