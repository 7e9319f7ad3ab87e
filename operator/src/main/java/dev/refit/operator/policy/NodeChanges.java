package dev.refit.operator.policy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.util.Objects;

/**
 * Which Node updates matter to Refit. Kubelets update their Node often (images, heartbeats of
 * conditions); only a change of labels, annotations, cordon, readiness or boot ID can change a
 * rollout, so only those wake the reconciler.
 */
final class NodeChanges {

  private NodeChanges() {}

  static boolean relevant(Node newer, Node older) {
    return !Objects.equals(newer.getMetadata().getLabels(), older.getMetadata().getLabels())
        || !Objects.equals(
            newer.getMetadata().getAnnotations(), older.getMetadata().getAnnotations())
        || !Objects.equals(unschedulable(newer), unschedulable(older))
        || !Objects.equals(readyStatus(newer), readyStatus(older))
        || !Objects.equals(bootId(newer), bootId(older));
  }

  static Boolean unschedulable(Node node) {
    return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
  }

  static String readyStatus(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return null;
    }
    return node.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(NodeCondition::getStatus)
        .findFirst()
        .orElse(null);
  }

  static String bootId(Node node) {
    return node.getStatus() == null || node.getStatus().getNodeInfo() == null
        ? null
        : node.getStatus().getNodeInfo().getBootID();
  }
}
