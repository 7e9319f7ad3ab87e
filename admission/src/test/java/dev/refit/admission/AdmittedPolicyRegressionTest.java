package dev.refit.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.api.OSUpdatePolicy;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Policies at the edges of what admission accepts, each once rejected too late or reported with a
 * status the API server would refuse: admission now rejects what the operator cannot read, and what
 * it admits the operator rounds and reports.
 */
class AdmittedPolicyRegressionTest {

  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
  private static Admission admission;

  @BeforeAll
  static void loadShippedCrds() {
    admission = Admission.ofShippedCrds();
  }

  @Test
  void aCountBeyond32BitsIsRejectedBecauseTheOperatorCouldNotReadItBack() {
    ObjectNode policy = minimal();
    ((ObjectNode) policy.get("spec")).put("maxUnavailable", 2147483648L);
    ((ObjectNode) policy.get("spec")).putObject("failurePolicy").put("maxFailedNodes", 1L << 53);

    assertThat(admission.validate(policy))
        .anySatisfy(e -> assertThat(e).startsWith("spec.maxUnavailable: maxUnavailable must be"))
        .anySatisfy(
            e -> assertThat(e).startsWith("spec.failurePolicy.maxFailedNodes: maxFailedNodes"));
  }

  @Test
  void theLargest32BitCountIsAdmittedReadAndRounded() {
    ObjectNode policy = minimal();
    ((ObjectNode) policy.get("spec")).put("maxUnavailable", 2147483647L);
    ((ObjectNode) policy.get("spec")).putObject("failurePolicy").put("maxFailedNodes", 2147483647L);
    JsonNode stored = admission.defaulted(policy);
    assertThat(admission.validate(stored)).isEmpty();

    ReconcileRound round = ReconcileRound.of(ReconcileRound.read(stored), fleet(), NOW);

    assertThat(round.status().getSlots().getLimit()).isEqualTo(2147483647);
    assertThat(admission.validate(round.policyWithStatus())).isEmpty();
  }

  @Test
  void aSelectorAtEveryLimitThatMatchesNoNodeGetsAStatusTheApiServerAccepts() {
    ObjectNode policy = minimal();
    ObjectNode selector = ((ObjectNode) policy.get("spec")).putObject("nodeSelector");
    ObjectNode labels = selector.putObject("matchLabels");
    String prefix = Values.fillTo("", 'p', 253);
    for (int i = 0; i < 32; i++) {
      labels.put(prefix + "/" + Values.fillTo("k" + i, 'x', 63), Values.fillTo("v", 'x', 63));
    }
    ArrayNode expressions = selector.putArray("matchExpressions");
    for (int i = 0; i < 16; i++) {
      ObjectNode requirement = expressions.addObject();
      requirement.put("key", prefix + "/" + Values.fillTo("e" + i, 'x', 63));
      requirement.put("operator", "NotIn");
      ArrayNode values = requirement.putArray("values");
      for (int j = 0; j < 64; j++) {
        values.add(Values.fillTo("v" + j, 'x', 63));
      }
    }
    JsonNode stored = admission.defaulted(policy);
    assertThat(admission.validate(stored)).isEmpty();
    OSUpdatePolicy read = ReconcileRound.read(stored);

    ReconcileRound round = ReconcileRound.of(read, List.of(), NOW);

    assertThat(admission.validate(round.policyWithStatus())).isEmpty();
    assertThat(round.status().getConditions().get(0).getMessage())
        .startsWith("nodeSelector " + prefix)
        .contains("\u2026 matches no node")
        .hasSizeLessThan(1000);
  }

  private static List<Fleets.Shape> fleet() {
    return List.of(
        new Fleets.Shape(0, true, 0, null, false, false, 1, "a", false, false, 0),
        new Fleets.Shape(
            0, true, 0, dev.refit.api.NodeState.Staged, true, false, 1, "b", false, false, 1));
  }

  private static ObjectNode minimal() {
    ObjectNode policy = PolicyManifests.JSON.objectNode();
    policy.put("apiVersion", "refit.dev/v1alpha1");
    policy.put("kind", "OSUpdatePolicy");
    policy.putObject("metadata").put("name", "workers");
    ObjectNode spec = policy.putObject("spec");
    spec.putObject("nodeSelector").putObject("matchLabels").put("pool", "a");
    spec.putObject("os").put("version", "41.20250101.3.0");
    return policy;
  }
}
