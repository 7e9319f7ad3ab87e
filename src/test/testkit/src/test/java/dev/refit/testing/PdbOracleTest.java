package dev.refit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PdbOracleTest {

  @Test
  void percentagesRoundUpForBothKindsOfBudget() {
    assertThat(PdbOracle.desiredHealthy(budget(new IntOrString("50%"), null), 3)).isEqualTo(2);
    assertThat(PdbOracle.desiredHealthy(budget(new IntOrString(2), null), 10)).isEqualTo(2);
    // maxUnavailable 25 % of 5 rounds up to 2 unavailable, so 3 must stay healthy.
    assertThat(PdbOracle.desiredHealthy(budget(null, new IntOrString("25%")), 5)).isEqualTo(3);
    assertThat(PdbOracle.desiredHealthy(budget(null, new IntOrString(7)), 5)).isZero();
  }

  @Test
  void selectorsFollowPolicyV1Semantics() {
    Map<String, String> labels = Map.of("app", "web", "tier", "front");
    assertThat(PdbOracle.selects(null, labels)).isFalse();
    assertThat(PdbOracle.selects(new LabelSelector(), labels)).isTrue();
    assertThat(PdbOracle.selects(selector("In", "tier", "front", "back"), labels)).isTrue();
    assertThat(PdbOracle.selects(selector("NotIn", "tier", "front"), labels)).isFalse();
    assertThat(PdbOracle.selects(selector("Exists", "app"), labels)).isTrue();
    assertThat(PdbOracle.selects(selector("DoesNotExist", "app"), labels)).isFalse();
    assertThat(
            PdbOracle.selects(
                new LabelSelectorBuilder()
                    .withMatchLabels(Map.of("app", "web"))
                    .addNewMatchExpression()
                    .withKey("tier")
                    .withOperator("In")
                    .withValues("back")
                    .endMatchExpression()
                    .build(),
                labels))
        .isFalse();
  }

  private static LabelSelector selector(String operator, String key, String... values) {
    return new LabelSelectorBuilder()
        .addNewMatchExpression()
        .withKey(key)
        .withOperator(operator)
        .withValues(values)
        .endMatchExpression()
        .build();
  }

  private static PodDisruptionBudget budget(IntOrString min, IntOrString max) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName("b")
        .endMetadata()
        .withNewSpec()
        .withMinAvailable(min)
        .withMaxUnavailable(max)
        .endSpec()
        .build();
  }
}
