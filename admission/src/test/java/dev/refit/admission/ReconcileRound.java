package dev.refit.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.api.OSNodeSpec;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicySpec;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.Revisions;
import dev.refit.api.Selector;
import dev.refit.operator.act.OSNodes;
import dev.refit.operator.lifecycle.DrainProgress;
import dev.refit.operator.plan.Blocker;
import dev.refit.operator.plan.Claims;
import dev.refit.operator.plan.HealthChecks;
import dev.refit.operator.plan.NextWake;
import dev.refit.operator.plan.Round;
import dev.refit.operator.plan.RoundSettings;
import dev.refit.operator.plan.SpecJudge;
import dev.refit.operator.plan.SpecProblem;
import dev.refit.operator.plan.Windows;
import dev.refit.operator.status.PolicyNotices;
import dev.refit.operator.status.PolicyStatusComposer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reconcile round of a policy as the operator runs it, without an API server: the policy read
 * as the operator's client reads it, claims over a fleet (with one other policy in the cluster),
 * the spec judged, the schedule, round settings, the round, the status, its Events and the next
 * wake-up; then what the round would write, as manifests.
 */
record ReconcileRound(
    OSUpdatePolicy policy,
    Round.Result round,
    OSUpdatePolicyStatus status,
    List<JsonNode> osNodes,
    Instant next) {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] BLOCKS = {"DisruptionBudget", "EmptyDir", "MultiplePDBs", "Evict"};

  /** The stored manifest as the operator's informer hands it over. */
  static OSUpdatePolicy read(JsonNode stored) {
    return SERIALIZATION.unmarshal(stored.toString(), OSUpdatePolicy.class);
  }

  static ReconcileRound of(OSUpdatePolicy policy, List<Fleets.Shape> fleet, Instant now) {
    OSUpdatePolicySpec spec = policy.getSpec();
    String name = policy.getMetadata().getName();
    Selector selector = spec.getNodeSelector();
    String zoneLabel = spec.getRollout().getOrdering().getZoneLabel();
    String target = Revisions.of(spec);
    List<Node> nodes = new ArrayList<>();
    Map<String, Fleets.Shape> shapes = new LinkedHashMap<>();
    for (int i = 0; i < fleet.size(); i++) {
      String node = "node-" + i;
      nodes.add(Fleets.node(node, fleet.get(i), selector, zoneLabel));
      shapes.put(node, fleet.get(i));
    }
    OSUpdatePolicy other = new OSUpdatePolicy();
    other.getMetadata().setName("zz-other");
    other.setSpec(new OSUpdatePolicySpec());
    other.getSpec().setNodeSelector(Selector.matching(Fleets.OTHER));
    Claims claims = Claims.of(List.of(policy, other), nodes);

    List<SpecProblem> problems = SpecJudge.judge(spec);
    Windows.State window = Windows.at(spec.getSchedule(), now);
    List<Node> claimed = SpecJudge.actionable(spec) ? claims.managedBy(name) : List.of();
    List<Round.NodeInput> inputs = new ArrayList<>();
    Map<String, Blocker> blockers = new LinkedHashMap<>();
    for (Node node : claimed) {
      String nodeName = node.getMetadata().getName();
      Fleets.Shape shape = shapes.get(nodeName);
      Blocker blocker =
          shape.minutesInState() == 30
              ? new Blocker(
                  "shop/web-1", BLOCKS[shape.pods()], "shop/web", now.minus(Duration.ofMinutes(5)))
              : null;
      if (blocker != null) {
        blockers.put(nodeName, blocker);
      }
      inputs.add(
          new Round.NodeInput(
              node,
              Fleets.osNode(nodeName, name, shape, target, now),
              DrainProgress.values()[shape.cordon()],
              HealthChecks.healthy(
                  spec.getHealthCheck(),
                  Fleets.pods(nodeName, shape, spec.getHealthCheck().getPodSelector())),
              blocker));
    }
    String operatorNode = claimed.isEmpty() ? null : claimed.get(0).getMetadata().getName();
    Round.Result round =
        Round.round(
            RoundSettings.of(spec, inputs.size(), problems, window, operatorNode), inputs, now);
    OSUpdatePolicyStatus status =
        PolicyStatusComposer.compose(
            new PolicyStatusComposer.Inputs(
                policy, claims, problems, round, blockers, window, now));
    PolicyNotices.transitions(policy, policy.getStatus(), status);
    Instant next =
        now.plus(NextWake.of(round, blockers, window, now).orElse(Duration.ofMinutes(1)));
    return new ReconcileRound(policy, round, status, written(policy, round), next);
  }

  /** The OSNodes the round writes, each as the manifest the API server would judge. */
  private static List<JsonNode> written(OSUpdatePolicy policy, Round.Result round) {
    List<JsonNode> written = new ArrayList<>();
    for (Round.NodeResult result : round.nodes()) {
      OSNodeSpec spec = OSNodes.spec(policy, null, result);
      ObjectNode osNode = JSON.createObjectNode();
      osNode.put("apiVersion", "refit.dev/v1alpha1");
      osNode.put("kind", "OSNode");
      osNode.putObject("metadata").put("name", result.name());
      osNode.set("spec", JSON.valueToTree(SERIALIZATION.convertValue(spec, Map.class)));
      written.add(osNode);
    }
    return written;
  }

  /** The policy with the status the round composed, as the status write sends it. */
  JsonNode policyWithStatus() {
    OSUpdatePolicy copy = read(JSON.valueToTree(SERIALIZATION.convertValue(policy, Map.class)));
    copy.setStatus(status);
    return JSON.valueToTree(SERIALIZATION.convertValue(copy, Map.class));
  }

  /** The spec's schema in the shipped CRD. */
  static JsonNode specSchema() {
    try (InputStream in =
        ReconcileRound.class.getResourceAsStream(
            Admission.CRD_RESOURCES + "osupdatepolicies.refit.dev.yaml")) {
      JsonNode crd =
          AdmissionValidator.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return crd.path("spec")
          .path("versions")
          .path(0)
          .path("schema")
          .path("openAPIV3Schema")
          .path("properties")
          .path("spec");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
