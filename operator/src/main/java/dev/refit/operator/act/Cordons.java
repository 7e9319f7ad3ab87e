package dev.refit.operator.act;

import dev.refit.api.RefitApi;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;

/**
 * Cordons and uncordons Nodes, marking Refit's own cordons so it never lifts anyone else's. One
 * JSON merge patch per change; nothing happens when the Node already is as wanted.
 */
public final class Cordons {

  /** Label that makes cloud load balancers stop sending traffic to a node. */
  public static final String EXCLUDE_LB_LABEL =
      "node.kubernetes.io/exclude-from-external-load-balancers";

  /** Annotation recording that Refit added the load-balancer label (so it removes only its own). */
  public static final String EXCLUDED_LB_ANNOTATION = RefitApi.GROUP + "/excluded-from-lb";

  private final KubernetesClient client;

  public Cordons(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Cordons the node for the policy unless it is cordoned already. A node someone else cordoned is
   * left as it is and not claimed, so Refit will not uncordon it later: also one cordoned after
   * {@code node} was read (the write fails with 409 Conflict when the Node changed since).
   *
   * @return the patched Node, or null when nothing changed
   */
  public Node cordon(Node node, String policy, boolean excludeFromLoadBalancers) {
    return cordon(node, policy, excludeFromLoadBalancers, List.of());
  }

  /**
   * Cordons the node for the policy, as {@link #cordon(Node, String, boolean)}, and removes the
   * given annotations in the same write (gates set before the update must not count after it).
   */
  public Node cordon(
      Node node, String policy, boolean excludeFromLoadBalancers, List<String> removed) {
    if (unschedulable(node)) {
      return null;
    }
    boolean addLabel = excludeFromLoadBalancers && !labels(node).containsKey(EXCLUDE_LB_LABEL);
    // guarded by the resourceVersion the decision was made from: a person who cordoned the node
    // since (kubectl cordon) made it a cordon Refit must not claim; the API answers 409 Conflict,
    // the round fails and the next one sees the person's cordon
    String resourceVersion = node.getMetadata().getResourceVersion();
    String patch =
        "{\"spec\":{\"unschedulable\":true},\"metadata\":{"
            + (resourceVersion == null ? "" : "\"resourceVersion\":" + quote(resourceVersion) + ",")
            + "\"annotations\":{"
            + quote(RefitApi.CORDONED_ANNOTATION)
            + ":"
            + quote(policy)
            + (addLabel ? "," + quote(EXCLUDED_LB_ANNOTATION) + ":\"true\"" : "")
            + removals(node, removed)
            + "}"
            + (addLabel ? ",\"labels\":{" + quote(EXCLUDE_LB_LABEL) + ":\"true\"}" : "")
            + "}}";
    return patch(node, patch);
  }

  /**
   * Lifts Refit's cordon, and the load-balancer label Refit added. A node Refit did not cordon is
   * not touched.
   *
   * @return the patched Node, or null when nothing changed
   */
  public Node uncordon(Node node) {
    return uncordon(node, List.of());
  }

  /**
   * Lifts Refit's cordon, as {@link #uncordon(Node)}, and removes the given annotations in the same
   * write (the policy's gates, so the next update asks again).
   */
  public Node uncordon(Node node, List<String> removed) {
    Map<String, String> annotations = annotations(node);
    if (!annotations.containsKey(RefitApi.CORDONED_ANNOTATION)) {
      return null;
    }
    boolean removeLabel = annotations.containsKey(EXCLUDED_LB_ANNOTATION);
    String patch =
        "{\"spec\":{\"unschedulable\":null},\"metadata\":{\"annotations\":{"
            + quote(RefitApi.CORDONED_ANNOTATION)
            + ":null"
            + (removeLabel ? "," + quote(EXCLUDED_LB_ANNOTATION) + ":null" : "")
            + removals(node, removed)
            + "}"
            + (removeLabel ? ",\"labels\":{" + quote(EXCLUDE_LB_LABEL) + ":null}" : "")
            + "}}";
    return patch(node, patch);
  }

  /** The merge-patch entries that remove those of the annotations the node carries. */
  private static String removals(Node node, List<String> removed) {
    Map<String, String> annotations = annotations(node);
    StringBuilder entries = new StringBuilder();
    for (String key : removed) {
      if (annotations.containsKey(key) && !RefitApi.CORDONED_ANNOTATION.equals(key)) {
        entries.append(',').append(quote(key)).append(":null");
      }
    }
    return entries.toString();
  }

  private Node patch(Node node, String mergePatch) {
    return client
        .nodes()
        .withName(node.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  static boolean unschedulable(Node node) {
    return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
  }

  private static Map<String, String> annotations(Node node) {
    Map<String, String> annotations = node.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  private static Map<String, String> labels(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
