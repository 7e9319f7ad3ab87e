package dev.refit.updater.kube;

import dev.refit.api.ConfigMapKeyRef;
import dev.refit.api.SELinuxModule;
import dev.refit.updater.agent.ModuleSources;
import dev.refit.updater.host.HostException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Finds SELinux module sources inline or in the ConfigMap a module names: one GET of that ConfigMap
 * when the agent installs the module (never a list, never a watch; whether a module is applied is
 * judged by the digest in the OSNode's spec, without a read). The agent's RBAC grants get on
 * ConfigMaps, nothing more, and only in the namespaces the chart lists ({@code
 * nodeUpdater.moduleConfigMapNamespaces}, by default Refit's own).
 */
public final class ConfigMapModuleSources implements ModuleSources {

  static final String UNAVAILABLE = "ModuleSourceUnavailable";

  private final KubernetesClient client;

  public ConfigMapModuleSources(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public String cil(SELinuxModule module) throws HostException {
    if (module.getCil() != null) {
      return module.getCil();
    }
    ConfigMapKeyRef ref = module.getConfigMapRef();
    if (ref == null) {
      throw new HostException(UNAVAILABLE, "SELinux module " + module.getName() + " has no source");
    }
    ConfigMap map;
    try {
      map = client.configMaps().inNamespace(ref.getNamespace()).withName(ref.getName()).get();
    } catch (KubernetesClientException e) {
      throw new HostException(UNAVAILABLE, cannotRead(ref, module, e.getCode()), e);
    }
    String cil = map == null || map.getData() == null ? null : map.getData().get(ref.getKey());
    if (cil == null || cil.isBlank()) {
      throw new HostException(
          UNAVAILABLE,
          "SELinux module "
              + module.getName()
              + ": ConfigMap "
              + ref
              + (map == null ? " does not exist" : " has no key " + ref.getKey()));
    }
    return cil;
  }

  /** Why a ConfigMap could not be read, with what to do when the agent may not read it. */
  static String cannotRead(ConfigMapKeyRef ref, SELinuxModule module, int httpCode) {
    String message = "cannot read ConfigMap " + ref + " for module " + module.getName();
    if (httpCode == 403) {
      return message
          + ": the node-updater may read ConfigMaps only in the namespaces its chart grants"
          + " (value nodeUpdater.moduleConfigMapNamespaces, by default Refit's own namespace);"
          + " move the ConfigMap there or add "
          + ref.getNamespace()
          + " to that list";
    }
    return message;
  }
}
