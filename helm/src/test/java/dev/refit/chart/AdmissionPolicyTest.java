package dev.refit.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ValidatingAdmissionPolicy the chart renders, evaluated with cel-java against admission
 * requests shaped as the API server builds them: a node-updater writes only the OSNode of the node
 * its token is bound to, never its spec; the operator's writes are not judged.
 */
class AdmissionPolicyTest {

  static final String AGENT = "system:serviceaccount:refit-system:refit-node-updater";
  static final String OPERATOR = "system:serviceaccount:refit-system:refit-operator";
  static final String NODE_NAME_CLAIM = "authentication.kubernetes.io/node-name";

  final Rendered chart = Chart.render();
  final AdmissionPolicy policy =
      new AdmissionPolicy(chart.get("ValidatingAdmissionPolicy", "refit-node-updater-own-osnode"));

  @Test
  void everyExpressionCompiles() {
    assertThat(policy.expressions()).hasSizeGreaterThanOrEqualTo(6).allSatisfy(policy::compile);
  }

  @Test
  void theAgentMayReportOnItsOwnNode() {
    Map<String, Object> old = osNode("worker-1");
    assertThat(policy.judge(statusUpdate(AGENT, "worker-1", "worker-1"), reported(old), old))
        .isEmpty();
  }

  @Test
  void theAgentMayNotWriteAnotherNodesOsNode() {
    Map<String, Object> old = osNode("worker-2");
    assertThat(policy.judge(statusUpdate(AGENT, "worker-1", "worker-2"), reported(old), old))
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .contains("node-updater of node worker-1")
                    .contains("only OSNode worker-1")
                    .contains("not worker-2"));
  }

  @Test
  void theAgentMayNotChangeTheSpecEvenOfItsOwnOsNode() {
    Map<String, Object> old = osNode("worker-1");
    Map<String, Object> changed = reported(old);
    spec(changed).put("action", "Apply");
    spec(changed).put("actionId", "forged");
    assertThat(policy.judge(update(AGENT, "worker-1", "worker-1", ""), changed, old))
        .hasValueSatisfying(
            message -> assertThat(message).contains("may not change an OSNode's spec"));
  }

  @Test
  void theAgentMayNotRelabelItsOwnOsNode() {
    Map<String, Object> old = osNode("worker-1");
    Map<String, Object> changed = reported(old);
    Maps.map(changed, "metadata", "labels").put("refit.dev/policy", "other");
    assertThat(policy.judge(update(AGENT, "worker-1", "worker-1", ""), changed, old))
        .hasValueSatisfying(message -> assertThat(message).contains("labels, annotations"));
  }

  @Test
  void aRequestWithoutTheNodeNameClaimIsDenied() {
    Map<String, Object> old = osNode("worker-1");
    Map<String, Object> noExtra = statusUpdate(AGENT, "worker-1", "worker-1");
    Maps.map(noExtra, "userInfo").remove("extra");
    Map<String, Object> otherExtra = statusUpdate(AGENT, "worker-1", "worker-1");
    Maps.map(otherExtra, "userInfo")
        .put("extra", Map.of("authentication.kubernetes.io/pod-name", List.of("x")));

    for (Map<String, Object> request : List.of(noExtra, otherExtra)) {
      assertThat(policy.judge(request, reported(old), old))
          .hasValueSatisfying(message -> assertThat(message).contains("token names no node"));
    }
  }

  @Test
  void theAgentMayNeitherCreateNorDeleteOsNodes() {
    Map<String, Object> create = statusUpdate(AGENT, "worker-1", "worker-1");
    create.put("operation", "CREATE");
    create.remove("subResource");
    Map<String, Object> delete = statusUpdate(AGENT, "worker-1", "worker-1");
    delete.put("operation", "DELETE");
    delete.remove("subResource");

    assertThat(policy.judge(create, osNode("worker-1"), null))
        .hasValueSatisfying(message -> assertThat(message).contains("may only update"));
    assertThat(policy.judge(delete, null, osNode("worker-1")))
        .hasValueSatisfying(message -> assertThat(message).contains("may only update"));
  }

  @Test
  void theOperatorsWritesAreNotJudged() {
    Map<String, Object> old = osNode("worker-2");
    Map<String, Object> newSpec = reported(old);
    spec(newSpec).put("action", "Apply");
    Map<String, Object> operatorUpdate = update(OPERATOR, null, "worker-2", "");
    Map<String, Object> operatorCreate = update(OPERATOR, null, "worker-3", "");
    operatorCreate.put("operation", "CREATE");
    Map<String, Object> operatorDelete = update(OPERATOR, null, "worker-2", "");
    operatorDelete.put("operation", "DELETE");

    assertThat(policy.judge(operatorUpdate, newSpec, old)).isEmpty();
    assertThat(policy.judge(operatorCreate, osNode("worker-3"), null)).isEmpty();
    assertThat(policy.judge(operatorDelete, null, old)).isEmpty();
  }

  @Test
  void thePolicyCoversOsNodesAndTheirStatusAndIsBoundToDeny() {
    Map<String, Object> vap =
        chart.get("ValidatingAdmissionPolicy", "refit-node-updater-own-osnode");
    assertThat(Maps.path(vap, "spec", "failurePolicy")).isEqualTo("Fail");
    assertThat(Maps.list(vap, "spec", "matchConstraints", "resourceRules"))
        .anySatisfy(
            rule -> {
              assertThat(rule.get("apiGroups")).isEqualTo(List.of("refit.dev"));
              assertThat(rule.get("resources").toString()).contains("osnodes", "osnodes/status");
              assertThat(rule.get("operations").toString()).contains("UPDATE", "CREATE", "DELETE");
            });
    Map<String, Object> binding =
        chart.get("ValidatingAdmissionPolicyBinding", "refit-node-updater-own-osnode");
    assertThat(Maps.path(binding, "spec", "policyName")).isEqualTo("refit-node-updater-own-osnode");
    assertThat(Maps.path(binding, "spec", "validationActions")).isEqualTo(List.of("Deny"));
  }

  @Test
  void thePolicyCanBeSwitchedOff() {
    Rendered without = Chart.renderWith("nodeUpdater:\n  admissionPolicy:\n    enabled: false\n");
    assertThat(without.has("ValidatingAdmissionPolicy")).isFalse();
    assertThat(without.has("ValidatingAdmissionPolicyBinding")).isFalse();
  }

  /** An OSNode as the operator writes it, with the agent's status. */
  static Map<String, Object> osNode(String name) {
    Map<String, Object> osNode = new LinkedHashMap<>();
    osNode.put("apiVersion", "refit.dev/v1alpha1");
    osNode.put("kind", "OSNode");
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("uid", "7d0c6a55-3f3e-4a43-9d7b-" + "0".repeat(12));
    metadata.put("resourceVersion", "1042");
    metadata.put("generation", 3);
    metadata.put("labels", new LinkedHashMap<>(Map.of("refit.dev/policy", "workers")));
    metadata.put(
        "ownerReferences",
        List.of(Map.of("apiVersion", "v1", "kind", "Node", "name", name, "uid", "n-" + name)));
    osNode.put("metadata", metadata);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("policy", "workers");
    spec.put("desiredRevision", "3f9a0c1b2d4e");
    spec.put("os", Map.of("version", "41.20250101.3.0"));
    spec.put("action", "Stage");
    spec.put("actionId", "3f9a0c1b2d4e-stage-0");
    spec.put("state", "Staging");
    osNode.put("spec", spec);
    osNode.put("status", new LinkedHashMap<>(Map.of("family", "FedoraCoreOS")));
    return osNode;
  }

  /** The same OSNode with a new status, as the agent's status patch leaves it. */
  static Map<String, Object> reported(Map<String, Object> old) {
    @SuppressWarnings("unchecked")
    Map<String, Object> copy = (Map<String, Object>) deepCopy(old);
    Maps.map(copy, "status").put("actionState", "Succeeded");
    Maps.map(copy, "status").put("observedActionId", "3f9a0c1b2d4e-stage-0");
    return copy;
  }

  static Map<String, Object> spec(Map<String, Object> osNode) {
    return Maps.map(osNode, "spec");
  }

  /** A status patch of OSNode {@code name} by {@code user}, with a token bound to {@code node}. */
  static Map<String, Object> statusUpdate(String user, String node, String name) {
    return update(user, node, name, "status");
  }

  /** An UPDATE (a PATCH reaches admission as one) as the API server describes it. */
  static Map<String, Object> update(String user, String node, String name, String subResource) {
    Map<String, Object> userInfo = new LinkedHashMap<>();
    userInfo.put("username", user);
    userInfo.put("uid", "sa-uid");
    userInfo.put(
        "groups",
        List.of(
            "system:serviceaccounts",
            "system:serviceaccounts:refit-system",
            "system:authenticated"));
    if (node != null) {
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put(NODE_NAME_CLAIM, List.of(node));
      extra.put("authentication.kubernetes.io/pod-name", List.of("refit-node-updater-x7k2p"));
      extra.put("authentication.kubernetes.io/pod-uid", List.of("pod-uid"));
      extra.put("authentication.kubernetes.io/credential-id", List.of("JTI=abc"));
      userInfo.put("extra", extra);
    }
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("uid", "req-1");
    request.put("kind", Map.of("group", "refit.dev", "version", "v1alpha1", "kind", "OSNode"));
    request.put(
        "resource", Map.of("group", "refit.dev", "version", "v1alpha1", "resource", "osnodes"));
    if (!subResource.isEmpty()) {
      request.put("subResource", subResource);
    }
    request.put("name", name);
    request.put("operation", "UPDATE");
    request.put("userInfo", userInfo);
    request.put("dryRun", false);
    return request;
  }

  static Object deepCopy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(AdmissionPolicyTest::deepCopy).toList();
    }
    return value;
  }
}
