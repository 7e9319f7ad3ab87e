package dev.refit.updater.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeStatus;
import dev.refit.updater.agent.StatusSink;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the agent's OSNode status: one JSON merge patch (RFC 7386) of the status subresource,
 * naming every status field, so fields the agent no longer reports (a staged deployment that
 * booted, a cleared error) are removed rather than left stale. Server-side apply is never used. The
 * patch goes to the agent's own OSNode only; nothing else is ever written.
 */
public final class StatusPatcher implements StatusSink {

  /** Every field of OSNodeStatus, written explicitly (null removes it). */
  static final String[] FIELDS = {
    "observedGeneration",
    "family",
    "booted",
    "staged",
    "rollback",
    "rebootPending",
    "bootId",
    "selinux",
    "selinuxDrift",
    "currentRevision",
    "stagedRevision",
    "observedActionId",
    "actionState",
    "bootIdBeforeAction",
    "conditions",
    "lastError"
  };

  /** Keeps null values, which the merge patch needs to remove fields. */
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private final KubernetesClient client;

  public StatusPatcher(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public OSNode write(OSNode osNode, OSNodeStatus status) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (String field : FIELDS) {
      fields.put(field, null);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> values = Serialization.jsonMapper().convertValue(status, Map.class);
    fields.putAll(values);
    OSNode target = new OSNode();
    target.setMetadata(new ObjectMetaBuilder().withName(osNode.getMetadata().getName()).build());
    return client
        .resources(OSNode.class)
        .resource(target)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), json(Map.of("status", fields)));
  }

  static String json(Object patch) {
    try {
      return PLAIN.writeValueAsString(patch);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
