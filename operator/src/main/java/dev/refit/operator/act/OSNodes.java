package dev.refit.operator.act;

import dev.refit.api.OSNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.RefitApi;
import dev.refit.operator.lifecycle.Decision;
import dev.refit.operator.plan.Round;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes OSNode specs: the operator's work order for each node. The spec is written whole from the
 * lifecycle's decision (JSON merge patch), so what the OSNode says is exactly what the operator
 * decided.
 */
public final class OSNodes {

  private static final com.fasterxml.jackson.databind.ObjectMapper PLAIN =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final KubernetesClient client;

  public OSNodes(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The spec a node's OSNode must carry after its round; a step without a message keeps the one the
   * OSNode has while the state stays.
   */
  public static OSNodeSpec spec(
      OSUpdatePolicy policy, Map<String, String> moduleDigests, Round.NodeResult result) {
    Decision last = result.last();
    OSNode existing = result.input().osNode();
    String message = last.message();
    if (message == null && existing != null && last.state() == existing.getSpec().getState()) {
      message = existing.getSpec().getMessage();
    }
    return spec(policy, moduleDigests, last, message);
  }

  /**
   * The spec an OSNode must carry after the decision, with the digests of the modules' CIL the
   * target was computed from: the agent judges its installed modules by them, never by a read.
   */
  public static OSNodeSpec spec(
      OSUpdatePolicy policy, Map<String, String> moduleDigests, Decision decision, String message) {
    OSNodeSpec spec = new OSNodeSpec();
    spec.setPolicy(policy.getMetadata().getName());
    spec.setDesiredRevision(decision.revision());
    spec.setTarget(policy.getSpec().getOs().display());
    spec.setOs(policy.getSpec().getOs());
    spec.setSelinux(policy.getSpec().getSelinux());
    spec.setModuleDigests(moduleDigests);
    spec.setAction(decision.action());
    spec.setActionId(decision.actionId());
    spec.setState(decision.state());
    spec.setStateSince(decision.since().truncatedTo(ChronoUnit.MILLIS).toString());
    spec.setReason(decision.reason());
    spec.setMessage(message);
    spec.setAttempts(decision.attempts() == 0 ? null : decision.attempts());
    return spec;
  }

  /** Creates the OSNode of a node, owned by the Node so it goes when the node goes. */
  public OSNode create(Node node, OSNodeSpec spec) {
    OSNode osNode = new OSNode();
    osNode.setMetadata(
        new ObjectMetaBuilder()
            .withName(node.getMetadata().getName())
            .withLabels(Map.of(RefitApi.POLICY_LABEL, spec.getPolicy()))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("v1")
                    .withKind("Node")
                    .withName(node.getMetadata().getName())
                    .withUid(node.getMetadata().getUid())
                    .build())
            .build());
    osNode.setSpec(spec);
    return client.resource(osNode).create();
  }

  /** Replaces the OSNode's spec (and its policy label) with one merge patch. */
  public OSNode write(OSNode existing, OSNodeSpec spec) {
    Map<String, Object> patch = new LinkedHashMap<>();
    // null-valued fields are written explicitly so the merge patch removes them
    Map<String, Object> specFields = new LinkedHashMap<>();
    for (String field :
        new String[] {
          "policy",
          "desiredRevision",
          "target",
          "os",
          "selinux",
          "moduleDigests",
          "action",
          "actionId",
          "state",
          "stateSince",
          "reason",
          "message",
          "attempts"
        }) {
      specFields.put(field, null);
    }
    Map<String, Object> now = Serialization.jsonMapper().convertValue(spec, MAP);
    Map<String, Object> before =
        existing.getSpec() == null
            ? Map.of()
            : Serialization.jsonMapper().convertValue(existing.getSpec(), MAP);
    specFields.putAll(removing(before, now));
    patch.put("spec", specFields);
    patch.put("metadata", Map.of("labels", Map.of(RefitApi.POLICY_LABEL, spec.getPolicy())));
    return client
        .resources(OSNode.class)
        .withName(existing.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), toJson(patch));
  }

  private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP =
      new com.fasterxml.jackson.core.type.TypeReference<>() {};

  /**
   * The merge patch that turns {@code before} into {@code now}: a merge patch merges nested
   * objects, so a field or map key the new spec lacks (a module dropped from {@code moduleDigests},
   * {@code os.version} when the target became an image, {@code selinux.mode} left out) is sent as
   * null, at every depth, or it would stay. Lists are replaced whole.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> removing(Map<String, Object> before, Map<String, Object> now) {
    Map<String, Object> patch = new LinkedHashMap<>(now);
    for (Map.Entry<String, Object> old : before.entrySet()) {
      Object value = now.get(old.getKey());
      if (!now.containsKey(old.getKey())) {
        patch.put(old.getKey(), null);
      } else if (old.getValue() instanceof Map<?, ?> oldObject
          && value instanceof Map<?, ?> newObject) {
        patch.put(
            old.getKey(),
            removing((Map<String, Object>) oldObject, (Map<String, Object>) newObject));
      }
    }
    return patch;
  }

  private static String toJson(Map<String, Object> patch) {
    try {
      return PLAIN.writeValueAsString(patch); // keeps null values, which remove fields
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes the OSNode of a node Refit no longer manages. */
  public void delete(OSNode osNode) {
    client.resources(OSNode.class).withName(osNode.getMetadata().getName()).delete();
  }
}
