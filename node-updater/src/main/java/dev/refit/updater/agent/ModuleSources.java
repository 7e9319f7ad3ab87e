package dev.refit.updater.agent;

import dev.refit.api.SELinuxModule;
import dev.refit.updater.host.HostException;

/** Finds the CIL source of an SELinux module: inline, or in a ConfigMap. */
public interface ModuleSources {

  /** The module's CIL source. */
  String cil(SELinuxModule module) throws HostException;

  /** Inline sources only: a ConfigMap reference is an error. */
  static ModuleSources inlineOnly() {
    return module -> {
      if (module.getCil() != null) {
        return module.getCil();
      }
      throw new HostException(
          "ModuleSourceUnavailable",
          "SELinux module "
              + module.getName()
              + " names a ConfigMap, which this agent cannot read");
    };
  }
}
