package dev.refit.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.RefitApi;
import dev.refit.operator.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimsTest {

  @Test
  void aNodeOnePolicySelectsIsManagedByIt() {
    Claims claims =
        Claims.of(
            List.of(Fixtures.policy("a", Map.of("pool", "a"), "1")),
            List.of(
                Fixtures.node("n2", Map.of("pool", "a")),
                Fixtures.node("n1", Map.of("pool", "a"))));

    assertThat(claims.managedBy("a"))
        .extracting(n -> n.getMetadata().getName())
        .containsExactly("n1", "n2");
    assertThat(claims.conflictsOf("a")).isEmpty();
  }

  @Test
  void aNodeTwoPoliciesSelectIsManagedByNeitherAndNamedOnBoth() {
    Claims claims =
        Claims.of(
            List.of(
                Fixtures.policy("a", Map.of("pool", "a"), "1"),
                Fixtures.policy("z", Map.of("zone", "1"), "1")),
            List.of(Fixtures.node("both", Map.of("pool", "a", "zone", "1"))));

    assertThat(claims.managedBy("a")).isEmpty();
    assertThat(claims.managedBy("z")).isEmpty();
    assertThat(claims.conflictsOf("a")).containsExactly(Map.entry("both", List.of("z")));
    assertThat(claims.conflictsOf("z")).containsExactly(Map.entry("both", List.of("a")));
    assertThat(claims.claimantsOf("both")).containsExactly("a", "z");
  }

  @Test
  void aNodeLabelledExcludeIsNeverManaged() {
    Claims claims =
        Claims.of(
            List.of(Fixtures.policy("a", Map.of("pool", "a"), "1")),
            List.of(Fixtures.node("kept", Map.of("pool", "a", RefitApi.EXCLUDE_LABEL, ""))));

    assertThat(claims.managedBy("a")).isEmpty();
    assertThat(claims.excludedFrom("a")).hasSize(1);
  }

  @Test
  void aPolicyBeingDeletedClaimsNothing() {
    var leaving = Fixtures.policy("leaving", Map.of("pool", "a"), "1");
    leaving.getMetadata().setDeletionTimestamp("2026-11-26T10:00:00Z");
    Claims claims =
        Claims.of(
            List.of(leaving, Fixtures.policy("staying", Map.of("pool", "a"), "1")),
            List.of(Fixtures.node("n", Map.of("pool", "a"))));

    assertThat(claims.managedBy("staying")).hasSize(1);
  }
}
