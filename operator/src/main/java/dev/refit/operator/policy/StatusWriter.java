package dev.refit.operator.policy;

import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicyStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a policy's status only when it changed. The informer cache may not have seen the last
 * write yet when the next round runs, so the writer also remembers what it wrote last for each
 * policy (by UID); a status equal to either is not written again. A failed write is not remembered,
 * so the next round tries again.
 */
final class StatusWriter {

  private final Map<String, OSUpdatePolicyStatus> lastWritten = new ConcurrentHashMap<>();

  /** Writes the status if it differs from what is stored; returns whether it wrote. */
  boolean write(KubernetesClient client, OSUpdatePolicy policy, OSUpdatePolicyStatus status) {
    String uid = policy.getMetadata().getUid();
    if (status.equals(policy.getStatus()) || status.equals(lastWritten.get(uid))) {
      return false;
    }
    OSUpdatePolicy patch = new OSUpdatePolicy();
    patch.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(policy.getMetadata().getName())
            .build());
    patch.setStatus(status);
    client.resource(patch).patchStatus(); // JSON merge patch of the status subresource
    lastWritten.put(uid, status);
    return true;
  }

  /** Forgets a deleted policy. */
  void forget(String uid) {
    lastWritten.remove(uid);
  }
}
