package dev.refit.testing;

/**
 * One kind of request a client made of the embedded API, as RBAC sees it: who (the client's
 * User-Agent), the verb, the API group and resource (with its subresource, e.g. {@code
 * pods/eviction}), the namespace (empty for cluster-scoped resources and requests across all
 * namespaces) and, for a patch, which top-level fields it touched ({@code status}; {@code *} for a
 * whole-object update or create).
 *
 * <p>The chart's tests derive each component's RBAC from these, so the roles grant exactly the
 * calls the code makes. Written one per line, tab-separated, in this order.
 */
public record ApiCall(
    String client, String verb, String group, String resource, String namespace, String fields) {

  /** The tab-separated line of this call. */
  public String line() {
    return String.join("\t", client, verb, group, resource, namespace, fields);
  }
}
