package dev.refit.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Label selectors match as the API server matches them, for Refit's and Kubernetes' own. */
class SelectorTest {

  private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front");

  @Test
  void aKubernetesSelectorMatchesByLabelsAndExpressions() {
    LabelSelector selector =
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("app", "web"))
            .addNewMatchExpression()
            .withKey("tier")
            .withOperator("In")
            .withValues("front", "edge")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("canary")
            .withOperator("DoesNotExist")
            .endMatchExpression()
            .build();

    assertThat(Selector.matches(selector, WEB)).isTrue();
    assertThat(Selector.matches(selector, Map.of("app", "web", "tier", "back"))).isFalse();
    assertThat(Selector.matches(selector, Map.of("app", "web", "tier", "front", "canary", "1")))
        .isFalse();
  }

  @Test
  void anEmptySelectorSelectsEverythingAndANullOneNothing() {
    assertThat(Selector.matches(new LabelSelector(), WEB)).isTrue();
    assertThat(Selector.matches(new LabelSelector(), null)).isTrue();
    assertThat(Selector.matches(null, WEB)).isFalse();
  }

  @Test
  void anOperatorTheApiDoesNotKnowMatchesNothing() {
    LabelSelector selector =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("app")
            .withOperator("Gt")
            .withValues("1")
            .endMatchExpression()
            .build();

    assertThat(Selector.matches(selector, WEB)).isFalse();
  }

  @Test
  void notInMatchesANodeWithoutTheLabel() {
    LabelSelector selector =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("zone")
            .withOperator("NotIn")
            .withValues("a")
            .endMatchExpression()
            .build();

    assertThat(Selector.matches(selector, WEB)).isTrue();
    assertThat(Selector.matches(selector, Map.of("zone", "a"))).isFalse();
  }
}
