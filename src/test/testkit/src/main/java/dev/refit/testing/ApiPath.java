package dev.refit.testing;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * A request path of the Kubernetes API taken apart: {@code
 * /apis/refit.dev/v1alpha1/osnodes/worker-1/status} is group {@code refit.dev}, resource {@code
 * osnodes}, name {@code worker-1}, subresource {@code status}. Paths outside {@code /api/v1/...}
 * and {@code /apis/group/version/...} (discovery, {@code /version}) have no resource.
 */
record ApiPath(
    String method,
    String group,
    String namespace,
    String plural,
    String name,
    String subresource,
    String query) {

  static ApiPath parse(String method, String rawPath) {
    URI uri = URI.create(rawPath);
    List<String> parts = Arrays.stream(uri.getPath().split("/")).filter(s -> !s.isEmpty()).toList();
    // /api/v1/... (the core group, "") or /apis/group/version/...
    boolean core = !parts.isEmpty() && parts.get(0).equals("api");
    boolean named = !parts.isEmpty() && parts.get(0).equals("apis");
    String group = core ? "" : named && parts.size() > 1 ? parts.get(1) : null;
    int start = core ? 2 : named ? 3 : parts.size();
    List<String> rest = parts.size() > start ? parts.subList(start, parts.size()) : List.of();
    String namespace = null;
    if (rest.size() >= 2 && rest.get(0).equals("namespaces") && rest.size() > 2) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    String plural = rest.isEmpty() ? "" : rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : null;
    String subresource = rest.size() > 2 ? rest.get(2) : null;
    return new ApiPath(method, group, namespace, plural, name, subresource, uri.getRawQuery());
  }

  /** Whether the path names a resource (not discovery or another non-resource path). */
  boolean isResource() {
    return group != null && !plural.isEmpty();
  }

  boolean isWatch() {
    return query != null && query.contains("watch=true");
  }

  /** The Kubernetes verb of the request. */
  String verb() {
    return switch (method) {
      case "GET" -> isWatch() ? "watch" : name == null ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name == null ? "deletecollection" : "delete";
      default -> method.toLowerCase();
    };
  }

  /** The resource, with its subresource if any: {@code pods/eviction}. */
  String resource() {
    return subresource == null ? plural : plural + "/" + subresource;
  }
}
