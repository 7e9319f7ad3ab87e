package dev.refit.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the chart's RBAC grants one ServiceAccount: each rule of each role bound to it, with where
 * it applies (every namespace for a ClusterRole bound by a ClusterRoleBinding, one namespace for a
 * RoleBinding).
 */
record Grants(List<Grant> grants) {

  /** One rule of one role, as it applies to the subject. */
  record Grant(
      String role,
      String namespace,
      List<String> apiGroups,
      List<String> resources,
      List<String> verbs,
      List<String> resourceNames) {

    /** Whether this rule applies everywhere (not only in one namespace). */
    boolean clusterWide() {
      return namespace == null;
    }

    boolean allows(RecordedCalls.Call call) {
      return apiGroups.contains(call.group())
          && resources.contains(call.resource())
          && verbs.contains(call.verb())
          && (clusterWide() || namespace.equals(call.namespace()));
    }

    @Override
    public String toString() {
      return role
          + (clusterWide() ? "" : " in " + namespace)
          + ": "
          + verbs
          + " "
          + apiGroups
          + " "
          + resources;
    }
  }

  /** The grants of the ServiceAccount {@code namespace/name} in the rendered chart. */
  static Grants of(Rendered chart, String namespace, String name) {
    List<Grant> grants = new ArrayList<>();
    for (String bindingKind : List.of("ClusterRoleBinding", "RoleBinding")) {
      for (Map<String, Object> binding : chart.ofKind(bindingKind)) {
        boolean bound =
            Maps.list(binding, "subjects").stream()
                .anyMatch(
                    s ->
                        "ServiceAccount".equals(s.get("kind"))
                            && name.equals(s.get("name"))
                            && namespace.equals(s.get("namespace")));
        if (!bound) {
          continue;
        }
        String roleKind = (String) Maps.path(binding, "roleRef", "kind");
        String roleName = (String) Maps.path(binding, "roleRef", "name");
        String where =
            bindingKind.equals("RoleBinding")
                ? (String) Maps.path(binding, "metadata", "namespace")
                : null;
        Map<String, Object> role =
            roleKind.equals("ClusterRole")
                ? chart.get("ClusterRole", roleName)
                : chart.ofKind("Role").stream()
                    .filter(
                        r ->
                            roleName.equals(Maps.path(r, "metadata", "name"))
                                && where.equals(Maps.path(r, "metadata", "namespace")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no Role " + where + "/" + roleName));
        for (Map<String, Object> rule : Maps.list(role, "rules")) {
          grants.add(
              new Grant(
                  roleKind + "/" + roleName,
                  where,
                  strings(rule.get("apiGroups")),
                  strings(rule.get("resources")),
                  strings(rule.get("verbs")),
                  strings(rule.get("resourceNames"))));
        }
      }
    }
    return new Grants(grants);
  }

  boolean allows(RecordedCalls.Call call) {
    return grants.stream().anyMatch(g -> g.allows(call));
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object value) {
    return value == null ? List.of() : (List<String>) value;
  }
}
