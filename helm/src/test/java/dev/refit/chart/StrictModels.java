package dev.refit.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Parses rendered objects into their Fabric8 model types and finds every field the model does not
 * know. Fabric8's models keep unknown fields in {@code additionalProperties} instead of failing, so
 * a misspelled field ({@code readOnlyRootFileSystem}) would parse; here it is an error, as {@code
 * kubectl apply}'s strict field validation makes it.
 */
final class StrictModels {

  /** The model type of every kind the chart renders (a kind not listed fails the test). */
  static final Map<String, Class<? extends HasMetadata>> TYPES =
      Map.ofEntries(
          Map.entry("apps/v1 Deployment", Deployment.class),
          Map.entry("apps/v1 DaemonSet", DaemonSet.class),
          Map.entry("v1 Service", Service.class),
          Map.entry("v1 ServiceAccount", ServiceAccount.class),
          Map.entry("v1 ConfigMap", ConfigMap.class),
          Map.entry("rbac.authorization.k8s.io/v1 ClusterRole", ClusterRole.class),
          Map.entry("rbac.authorization.k8s.io/v1 ClusterRoleBinding", ClusterRoleBinding.class),
          Map.entry("rbac.authorization.k8s.io/v1 Role", Role.class),
          Map.entry("rbac.authorization.k8s.io/v1 RoleBinding", RoleBinding.class),
          Map.entry("policy/v1 PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("networking.k8s.io/v1 NetworkPolicy", NetworkPolicy.class),
          Map.entry(
              "admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy",
              ValidatingAdmissionPolicy.class),
          Map.entry(
              "admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding",
              ValidatingAdmissionPolicyBinding.class),
          Map.entry("monitoring.coreos.com/v1 ServiceMonitor", ServiceMonitor.class),
          Map.entry("monitoring.coreos.com/v1 PrometheusRule", PrometheusRule.class));

  /** Fabric8's own (de)serialization, with every model type it knows registered. */
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private StrictModels() {}

  /** The object as its model type; throws if the kind is not one the chart should render. */
  static HasMetadata parse(Map<String, Object> object) {
    String key = object.get("apiVersion") + " " + object.get("kind");
    Class<? extends HasMetadata> type = TYPES.get(key);
    if (type == null) {
      throw new AssertionError("no model type known for " + key);
    }
    return SERIALIZATION.convertValue(object, type);
  }

  /** Paths of the fields the model did not know, e.g. {@code spec.template.spec.foo}. */
  static List<String> unknownFields(Object model) {
    List<String> found = new ArrayList<>();
    walk(model, "", found);
    return found;
  }

  private static void walk(Object value, String path, List<String> found) {
    if (value == null) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, found));
      return;
    }
    if (value instanceof Collection<?> collection) {
      int i = 0;
      for (Object element : collection) {
        walk(element, path + "[" + i++ + "]", found);
      }
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")
        || value instanceof io.fabric8.kubernetes.api.model.Quantity
        || value instanceof io.fabric8.kubernetes.api.model.IntOrString) {
      return;
    }
    try {
      for (PropertyDescriptor property :
          Introspector.getBeanInfo(value.getClass(), Object.class).getPropertyDescriptors()) {
        if (property.getReadMethod() == null) {
          continue;
        }
        Object child = property.getReadMethod().invoke(value);
        if (property.getName().equals("additionalProperties")) {
          if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
            extra.keySet().forEach(k -> found.add((path + "." + k).substring(1)));
          }
        } else {
          walk(child, path + "." + property.getName(), found);
        }
      }
    } catch (IntrospectionException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + value.getClass(), e);
    }
  }
}
