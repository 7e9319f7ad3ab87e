package dev.refit.operator.reconcile;

import dev.refit.api.ConfigMapKeyRef;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.SELinuxModule;
import dev.refit.operator.plan.ModuleSources.Read;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ConfigMaps that hold SELinux module sources: an informer over the module namespaces only (the
 * operator lists and watches ConfigMaps there and nowhere else), whose changes to a ConfigMap's
 * data wake each policy that names it. A round reads its modules' CIL from this cache, never from
 * the API server, so a ConfigMap edited, deleted or created shows in the next round it wakes.
 */
final class ModuleConfigMaps {

  static final String CONFIG_MAPS = "module-configmaps";

  private final Set<String> namespaces;
  private InformerEventSource<ConfigMap, OSUpdatePolicy> source;

  ModuleConfigMaps(Set<String> namespaces) {
    this.namespaces = Set.copyOf(namespaces);
  }

  /** The informer, waking the policies whose modules name a ConfigMap when its data changes. */
  InformerEventSource<ConfigMap, OSUpdatePolicy> eventSource(
      EventSourceContext<OSUpdatePolicy> context) {
    source =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ConfigMap.class, OSUpdatePolicy.class)
                .withName(CONFIG_MAPS)
                .withNamespaces(namespaces)
                .withSecondaryToPrimaryMapper(map -> referring(map, context))
                .withOnUpdateFilter(
                    (newer, older) ->
                        !Objects.equals(newer.getData(), older.getData())
                            || !Objects.equals(newer.getBinaryData(), older.getBinaryData()))
                .build(),
            context);
    return source;
  }

  /** What reading each ConfigMap-sourced module of the spec gives now, by module name. */
  Map<String, Read> read(OSUpdatePolicySpec spec) {
    Map<String, Read> reads = new LinkedHashMap<>();
    if (spec == null || spec.getSelinux() == null) {
      return reads;
    }
    for (SELinuxModule module : spec.getSelinux().getModules()) {
      if (module.getCil() == null && module.getConfigMapRef() != null) {
        reads.put(module.getName(), read(module.getConfigMapRef()));
      }
    }
    return reads;
  }

  private Read read(ConfigMapKeyRef ref) {
    if (!namespaces.contains(ref.getNamespace())) {
      return new Read.Missing(
          "is in a namespace Refit does not watch (it watches "
              + String.join(", ", namespaces.stream().sorted().toList())
              + ")",
          "move the ConfigMap to one of those, or add "
              + ref.getNamespace()
              + " to the Helm value nodeUpdater.moduleConfigMapNamespaces");
    }
    Optional<InformerHealthIndicator> health =
        Optional.ofNullable(source.informerHealthIndicators().get(ref.getNamespace()));
    if (health.isPresent() && !health.get().hasSynced()) {
      return new Read.Missing(
          "cannot be read: the operator's watch of ConfigMaps in "
              + ref.getNamespace()
              + " has not received them from the API server yet",
          "if this lasts, the operator's log says why (for a 403, its Role in "
              + ref.getNamespace()
              + " must allow list and watch on configmaps)");
    }
    Optional<ConfigMap> map = source.get(new ResourceID(ref.getName(), ref.getNamespace()));
    if (map.isEmpty()) {
      return new Read.Missing(
          "does not exist", "create it with the module's CIL under that key, or fix the reference");
    }
    String cil = map.get().getData() == null ? null : map.get().getData().get(ref.getKey());
    if (cil == null || cil.isBlank()) {
      return new Read.Missing(
          cil == null ? "has no such key in its data" : "holds an empty value under that key",
          "put the module's CIL under that key (as text in data, not binaryData), or fix the"
              + " reference");
    }
    return new Read.Found(cil);
  }

  /** The policies whose modules name this ConfigMap. */
  private static Set<ResourceID> referring(
      ConfigMap map, EventSourceContext<OSUpdatePolicy> context) {
    String namespace = map.getMetadata().getNamespace();
    String name = map.getMetadata().getName();
    return context
        .getPrimaryCache()
        .list()
        .filter(p -> p.getSpec() != null && p.getSpec().getSelinux() != null)
        .filter(
            p ->
                p.getSpec().getSelinux().getModules().stream()
                    .map(SELinuxModule::getConfigMapRef)
                    .filter(Objects::nonNull)
                    .anyMatch(r -> namespace.equals(r.getNamespace()) && name.equals(r.getName())))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}
