package dev.refit.updater.agent;

import dev.refit.api.NodeAction;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.OSTarget;
import dev.refit.api.Revisions;
import dev.refit.api.SELinuxPolicy;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

/** One OSNode kept in memory, as the API would keep it: it outlives every agent. */
final class MemoryApi implements StatusSink {

  private OSNode stored;
  private long version = 1;
  private int writes;

  MemoryApi(String node) {
    stored = new OSNode();
    stored.setMetadata(
        new ObjectMetaBuilder().withName(node).withResourceVersion("1").withGeneration(1L).build());
    stored.setSpec(new OSNodeSpec());
  }

  /** The operator gives an instruction for the target version. */
  synchronized OSNode instruct(String targetVersion, NodeAction action, String actionId) {
    return instruct(OSTarget.version(targetVersion), action, actionId);
  }

  /** The operator gives an instruction for this target. */
  synchronized OSNode instruct(OSTarget target, NodeAction action, String actionId) {
    return instruct(target, null, action, actionId);
  }

  /** The operator gives an instruction for this target and SELinux policy. */
  synchronized OSNode instruct(
      OSTarget target, SELinuxPolicy selinux, NodeAction action, String actionId) {
    OSNodeSpec spec = new OSNodeSpec();
    spec.setPolicy("workers");
    spec.setOs(target);
    spec.setSelinux(selinux);
    spec.setDesiredRevision(Revisions.of(spec.getOs(), selinux));
    spec.setAction(action);
    spec.setActionId(actionId);
    return instruct(spec);
  }

  /** The operator writes this work order. */
  synchronized OSNode instruct(OSNodeSpec spec) {
    OSNode next = copy(stored);
    next.setSpec(spec);
    next.getMetadata().setGeneration(next.getMetadata().getGeneration() + 1);
    next.getMetadata().setResourceVersion(Long.toString(++version));
    stored = next;
    return copy(stored);
  }

  synchronized OSNode get() {
    return copy(stored);
  }

  synchronized OSNodeStatus status() {
    return copy(stored).getStatus();
  }

  synchronized int writes() {
    return writes;
  }

  @Override
  public synchronized OSNode write(OSNode osNode, OSNodeStatus status) {
    OSNode next = copy(stored);
    next.setStatus(Serialization.jsonMapper().convertValue(status, OSNodeStatus.class));
    next.getMetadata().setResourceVersion(Long.toString(++version));
    stored = next;
    writes++;
    return copy(stored);
  }

  private static OSNode copy(OSNode o) {
    return Serialization.jsonMapper().convertValue(o, OSNode.class);
  }
}
