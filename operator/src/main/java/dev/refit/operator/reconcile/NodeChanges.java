package dev.refit.operator.reconcile;

import dev.refit.api.Nodes;
import io.fabric8.kubernetes.api.model.Node;
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
        || Nodes.unschedulable(newer) != Nodes.unschedulable(older)
        || !Objects.equals(Nodes.readyStatus(newer), Nodes.readyStatus(older))
        || !Objects.equals(Nodes.bootId(newer), Nodes.bootId(older));
  }
}
