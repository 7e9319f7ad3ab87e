package dev.refit.updater.agent;

import dev.refit.api.SELinuxModule;
import dev.refit.updater.host.HostException;
import dev.refit.updater.selinux.ModuleDigests;
import java.util.Optional;

/**
 * Reads a module's source to install it, and keeps only what the work order declared: a source
 * whose digest differs from the one the operator computed the revision from (the ConfigMap was
 * edited after the operator read it) is refused, so a node never installs a CIL its revision does
 * not name. The operator watches the ConfigMap too: its next revision carries the new digest.
 */
public final class ModuleSourceCheck {

  /** The source read now is not the one the work order names: wait for the operator. */
  public static final String SOURCE_CHANGED = "ModuleSourceChanged";

  private ModuleSourceCheck() {}

  /** The module's CIL, read now, if it has the digest the work order names. */
  public static String verified(SELinuxModule module, Desired desired, ModuleSources sources)
      throws HostException {
    String cil = sources.cil(module);
    Optional<String> declared = desired.moduleDigest(module);
    String digest = ModuleDigests.of(cil);
    if (declared.isPresent() && !declared.get().equals(digest)) {
      throw new HostException(
          SOURCE_CHANGED,
          "SELinux module "
              + module.getName()
              + ": its source"
              + (module.getConfigMapRef() == null
                  ? ""
                  : " (ConfigMap " + module.getConfigMapRef() + ")")
              + " now has digest "
              + digest
              + ", not "
              + declared.get()
              + " as revision "
              + desired.revision().orElse("(none)")
              + " declares: it changed after the operator read it, so it is not installed."
              + " The operator rolls the new source out as a new revision; this node waits for it");
    }
    return cil;
  }
}
