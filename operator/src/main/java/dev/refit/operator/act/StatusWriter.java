package dev.refit.operator.act;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.api.CanaryStatus;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.PolicySELinuxStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a policy's status only when it changed. The informer cache may not have seen the last
 * write yet when the next round runs, so the writer also remembers what it wrote last for each
 * policy (by UID); a status equal to either is not written again. A failed write is not remembered,
 * so the next round tries again.
 */
public final class StatusWriter {

  private final Map<String, OSUpdatePolicyStatus> lastWritten = new ConcurrentHashMap<>();

  /**
   * Writes the status if it differs from what is stored; returns whether it wrote. What is stored
   * is what this operator last wrote, once it wrote: the policy it was handed comes from a cache
   * that may not show that write yet, and a status equal to that older one is not what the server
   * holds (a node updated again after a drift read as "updating" forever).
   */
  public boolean write(
      KubernetesClient client, OSUpdatePolicy policy, OSUpdatePolicyStatus status) {
    String uid = policy.getMetadata().getUid();
    OSUpdatePolicyStatus stored =
        lastWritten.containsKey(uid) ? lastWritten.get(uid) : policy.getStatus();
    if (status.equals(stored)) {
      return false;
    }
    client
        .resources(OSUpdatePolicy.class)
        .withName(policy.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch(status));
    lastWritten.put(uid, status);
    return true;
  }

  /**
   * A merge patch that sets every status field: fields the new status lacks are sent as null, which
   * is how a merge patch removes them (nextWindow once a window is open, for one).
   */
  static String mergePatch(OSUpdatePolicyStatus status) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (String field : FIELDS) {
      fields.put(field, null);
    }
    fields.putAll(Serialization.jsonMapper().convertValue(status, MAP));
    // a merge patch merges nested objects: a field the new status lacks is removed explicitly
    allFields(fields, "canary", CanaryStatus.FIELDS);
    allFields(fields, "selinux", PolicySELinuxStatus.FIELDS);
    try {
      return PLAIN.writeValueAsString(Map.of("status", fields));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void allFields(Map<String, Object> fields, String field, List<String> nested) {
    if (fields.get(field) instanceof Map<?, ?> present) {
      Map<String, Object> all = new LinkedHashMap<>();
      nested.forEach(f -> all.put(f, null));
      present.forEach((k, v) -> all.put(String.valueOf(k), v));
      fields.put(field, all);
    }
  }

  private static final String[] FIELDS = {
    "observedGeneration",
    "conditions",
    "target",
    "targetRevision",
    "progress",
    "nodes",
    "problems",
    "nextWindow",
    "waitingFor",
    "slots",
    "canary",
    "estimatedCompletion",
    "selinux"
  };
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
}
