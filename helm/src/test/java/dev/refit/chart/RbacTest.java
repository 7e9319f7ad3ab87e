package dev.refit.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.chart.RecordedCalls.Call;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC grants each component exactly the API calls its code makes: judged against the
 * calls the embedded API recorded while the operator and the node-updater ran in the tests of the
 * modules built before this one (by User-Agent: {@code refit-operator/...} is the operator's
 * client, {@code refit-node-updater/...} the agent's), not against a list kept by hand.
 */
class RbacTest {

  static final String OPERATOR_CLIENT = "refit-operator/";
  static final String AGENT_CLIENT = "refit-node-updater/";

  /** Calls every authenticated user may make (system:basic-user), so no role grants them. */
  static final Set<String> ALLOWED_TO_EVERYONE =
      Set.of(
          "authorization.k8s.io/selfsubjectrulesreviews",
          "authorization.k8s.io/selfsubjectaccessreviews",
          "authentication.k8s.io/selfsubjectreviews");

  /**
   * Rights a library checks for before it starts, though the code never calls them: the Operator
   * SDK's leader election asks (SelfSubjectRulesReview) for create, update and get on Leases and
   * refuses to start without all three, while Fabric8's Lease lock patches rather than updates. The
   * embedded API answers every such review with "everything allowed", so only this list says so.
   */
  static final Set<String> CHECKED_NOT_CALLED = Set.of("update coordination.k8s.io/leases");

  static Set<Call> calls;
  static Rendered chart;
  static Grants operator;
  static Grants agent;

  @BeforeAll
  static void recordedCallsAndRenderedRoles() {
    calls =
        RecordedCalls.all().stream()
            .filter(c -> !ALLOWED_TO_EVERYONE.contains(c.group() + "/" + c.resource()))
            .collect(Collectors.toSet());
    assertThat(calls)
        .as(
            "API calls recorded by the tests of %s (target/api-calls): run the whole build,"
                + " ./mvnw verify, so the system tests record them first",
            RecordedCalls.MODULES)
        .isNotEmpty();
    chart = Chart.render();
    operator = Grants.of(chart, Chart.NAMESPACE, "refit-operator");
    agent = Grants.of(chart, Chart.NAMESPACE, "refit-node-updater");
  }

  @Test
  void theRecordingsIncludeTheShippedOperatorAndTheShippedAgent() {
    String version = (String) Maps.path(Chart.chartYaml(), "appVersion");
    assertThat(RecordedCalls.of(calls, OPERATOR_CLIENT + version))
        .as("calls of the packaged Quarkus operator (the simulator's system tests)")
        .isNotEmpty();
    assertThat(RecordedCalls.of(calls, AGENT_CLIENT + version))
        .as("calls of the packaged agent (PackagedAgentIT)")
        .isNotEmpty();
  }

  @Test
  void theOperatorIsGrantedEveryCallItMakes() {
    assertThat(RecordedCalls.of(calls, OPERATOR_CLIENT))
        .isNotEmpty()
        .allSatisfy(call -> assertThat(operator.allows(call)).as("granted: %s", call).isTrue());
  }

  @Test
  void theNodeUpdaterIsGrantedEveryCallItMakes() {
    assertThat(RecordedCalls.of(calls, AGENT_CLIENT))
        .isNotEmpty()
        .allSatisfy(call -> assertThat(agent.allows(call)).as("granted: %s", call).isTrue());
  }

  @Test
  void theOperatorIsGrantedNothingItDoesNotUse() {
    assertEveryGrantIsUsed(operator, RecordedCalls.of(calls, OPERATOR_CLIENT));
  }

  @Test
  void theNodeUpdaterIsGrantedNothingItDoesNotUse() {
    assertEveryGrantIsUsed(agent, RecordedCalls.of(calls, AGENT_CLIENT));
  }

  /** Each verb on each resource of each rule was used, in the rule's namespace if it has one. */
  static void assertEveryGrantIsUsed(Grants grants, Set<Call> used) {
    assertThat(grants.grants()).isNotEmpty();
    for (Grants.Grant grant : grants.grants()) {
      for (String group : grant.apiGroups()) {
        for (String resource : grant.resources()) {
          for (String verb : grant.verbs()) {
            if (CHECKED_NOT_CALLED.contains(verb + " " + group + "/" + resource)) {
              continue;
            }
            assertThat(used)
                .as("a recorded call uses %s %s/%s granted by %s", verb, group, resource, grant)
                .anyMatch(
                    c ->
                        c.verb().equals(verb)
                            && c.group().equals(group)
                            && c.resource().equals(resource)
                            && (grant.clusterWide() || grant.namespace().equals(c.namespace())));
          }
        }
      }
    }
  }

  /**
   * A Role can be rendered only into namespaces the chart knows at install (its own, the Events
   * namespace, the module namespaces). A ClusterRole is needed for a namespaced resource only where
   * the code uses it across all namespaces or in namespaces the user's workloads choose.
   */
  @Test
  void namespacedResourcesAreGrantedClusterWideOnlyWhereTheCodeUsesThemInTheUsersNamespaces() {
    Set<String> known = Set.of(Chart.NAMESPACE, "default");
    Set<String> namespaced =
        calls.stream()
            .filter(c -> !c.namespace().isEmpty())
            .map(c -> c.group() + "/" + c.baseResource())
            .collect(Collectors.toSet());
    for (Map.Entry<Grants, String> component :
        Map.of(operator, OPERATOR_CLIENT, agent, AGENT_CLIENT).entrySet()) {
      Set<Call> own = RecordedCalls.of(calls, component.getValue());
      for (Grants.Grant grant : component.getKey().grants()) {
        if (!grant.clusterWide()) {
          continue;
        }
        for (String group : grant.apiGroups()) {
          for (String resource : grant.resources()) {
            String base = resource.contains("/") ? resource.split("/")[0] : resource;
            if (!namespaced.contains(group + "/" + base)) {
              continue;
            }
            Set<String> where =
                own.stream()
                    .filter(c -> c.group().equals(group) && c.baseResource().equals(base))
                    .map(Call::namespace)
                    .collect(Collectors.toSet());
            assertThat(where)
                .as(
                    "%s grants %s/%s in every namespace, but %s used it only in %s: a Role there"
                        + " is enough",
                    grant, group, resource, component.getValue(), where)
                .anyMatch(namespace -> namespace.isEmpty() || !known.contains(namespace));
          }
        }
      }
    }
  }

  @Test
  void theOperatorsLeaseRightsPassTheOperatorSdksStartupCheck() {
    for (String verb : List.of("create", "update", "get")) {
      assertThat(
              operator.allows(
                  new Call(
                      OPERATOR_CLIENT, verb, "coordination.k8s.io", "leases", Chart.NAMESPACE, "")))
          .as("%s on leases in %s", verb, Chart.NAMESPACE)
          .isTrue();
    }
  }

  @Test
  void noRoleUsesAWildcardOrANonResourceUrl() {
    for (String kind : List.of("ClusterRole", "Role")) {
      for (Map<String, Object> role : chart.ofKind(kind)) {
        for (Map<String, Object> rule : Maps.list(role, "rules")) {
          assertThat(rule).doesNotContainKey("nonResourceURLs");
          for (String field : List.of("apiGroups", "resources", "verbs")) {
            assertThat(Maps.path(rule, field).toString())
                .as("%s %s %s", kind, Maps.path(role, "metadata", "name"), field)
                .doesNotContain("*");
          }
        }
      }
    }
  }

  @Test
  void theNodeUpdaterMayReadAndReportOsNodesClusterWideAndNothingElse() {
    assertThat(agent.grants())
        .filteredOn(Grants.Grant::clusterWide)
        .allSatisfy(
            g -> {
              assertThat(g.apiGroups()).containsExactly("refit.dev");
              assertThat(g.resources()).isSubsetOf("osnodes", "osnodes/status");
              assertThat(g.verbs()).isSubsetOf("get", "list", "watch", "patch");
            })
        .anySatisfy(g -> assertThat(g.resources()).containsExactly("osnodes/status"));
    assertThat(agent.grants())
        .filteredOn(g -> g.resources().contains("osnodes/status"))
        .allSatisfy(g -> assertThat(g.verbs()).containsExactly("patch"));
  }

  /**
   * The operator writes a policy's status, and of its metadata only its own finalizer (which the
   * Operator SDK adds and removes with a JSON patch of {@code metadata.finalizers}, guarded by the
   * {@code resourceVersion} it read); never the spec people and GitOps own.
   */
  @Test
  void theOperatorWritesAPolicysStatusAndFinalizerButNeverItsSpec() {
    Set<Call> policyWrites =
        RecordedCalls.of(calls, OPERATOR_CLIENT).stream()
            .filter(
                c -> c.group().equals("refit.dev") && c.baseResource().equals("osupdatepolicies"))
            .filter(Call::isWrite)
            .collect(Collectors.toSet());
    assertThat(policyWrites).as("the operator's writes to OSUpdatePolicies").isNotEmpty();
    assertThat(policyWrites)
        .filteredOn(c -> c.resource().equals("osupdatepolicies/status"))
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.fields()).isEqualTo("status"));
    assertThat(policyWrites)
        .filteredOn(c -> c.resource().equals("osupdatepolicies"))
        .isNotEmpty()
        .allSatisfy(
            c ->
                assertThat(List.of(c.fields().split(",")))
                    .contains("metadata.finalizers")
                    .isSubsetOf("metadata.finalizers", "metadata.resourceVersion"));
    assertThat(policyWrites).allSatisfy(c -> assertThat(c.verb()).isEqualTo("patch"));
  }

  @Test
  void theNodeUpdaterWritesNothingButOsNodeStatus() {
    assertThat(RecordedCalls.of(calls, AGENT_CLIENT))
        .filteredOn(Call::isWrite)
        .isNotEmpty()
        .allSatisfy(
            c -> {
              assertThat(c.verb()).isEqualTo("patch");
              assertThat(c.resource()).isEqualTo("osnodes/status");
              assertThat(c.fields()).isEqualTo("status");
            });
  }
}
