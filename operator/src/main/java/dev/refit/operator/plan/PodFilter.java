package dev.refit.operator.plan;

import dev.refit.api.Drain;
import dev.refit.api.Selector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.time.Instant;
import java.util.Map;

/** Decides what a drain does with each pod on the node. */
public final class PodFilter {

  /** What happens to a pod during a drain. */
  public enum Verdict {
    /** Evicted through the Eviction API. */
    EVICT,
    /** A static pod's mirror: the kubelet owns it; it cannot be evicted. */
    SKIP_MIRROR,
    /** Owned by a DaemonSet: it would be recreated on the node at once. */
    SKIP_DAEMONSET,
    /** Matches drain.podSelector: the user asked to leave it running. */
    SKIP_SELECTED,
    /** Finished (Succeeded or Failed): holds nothing, blocks nothing. */
    SKIP_FINISHED,
    /** Uses emptyDir and drain.deleteEmptyDirData is false: blocks the drain. */
    BLOCK_EMPTY_DIR,
    /** Opted out of disruption ({@link DoNotDisrupt}) and still held: the drain waits for it. */
    WAIT_OPTED_OUT
  }

  static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

  private PodFilter() {}

  /** What the drain does with the pod at {@code now}. */
  public static Verdict judge(Pod pod, Drain drain, Instant now) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey(MIRROR_ANNOTATION)) {
      return Verdict.SKIP_MIRROR;
    }
    if (pod.getMetadata().getOwnerReferences() != null
        && pod.getMetadata().getOwnerReferences().stream().anyMatch(PodFilter::isDaemonSet)) {
      return Verdict.SKIP_DAEMONSET;
    }
    Selector keep = drain.getPodSelector();
    if (keep != null && !keep.isEmpty() && keep.matches(pod.getMetadata().getLabels())) {
      return Verdict.SKIP_SELECTED;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return Verdict.SKIP_FINISHED;
    }
    if (DoNotDisrupt.of(pod).filter(d -> d.holds(now)).isPresent()) {
      return Verdict.WAIT_OPTED_OUT;
    }
    if (!Boolean.TRUE.equals(drain.getDeleteEmptyDirData()) && usesEmptyDir(pod)) {
      return Verdict.BLOCK_EMPTY_DIR;
    }
    return Verdict.EVICT;
  }

  /** Whether the pod must be gone before the node counts as drained. */
  public static boolean mustLeave(Verdict verdict) {
    return verdict == Verdict.EVICT
        || verdict == Verdict.BLOCK_EMPTY_DIR
        || verdict == Verdict.WAIT_OPTED_OUT;
  }

  private static boolean isDaemonSet(OwnerReference owner) {
    return "DaemonSet".equals(owner.getKind()) && Boolean.TRUE.equals(owner.getController());
  }

  private static boolean usesEmptyDir(Pod pod) {
    return pod.getSpec() != null
        && pod.getSpec().getVolumes() != null
        && pod.getSpec().getVolumes().stream().map(Volume::getEmptyDir).anyMatch(v -> v != null);
  }
}
