package dev.refit.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.api.NodeState;
import dev.refit.api.OSUpdatePolicy;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * A policy that passes admission never makes a reconcile throw. Policies are generated as people
 * write them, over every field of the spec, defaulted and judged as the API server would; each one
 * admitted goes, as the operator reads it, through the judge, the schedule, the planner and the
 * status composer over a fleet whose nodes it sometimes selects, for two rounds. What the round
 * writes back (the policy's status, each OSNode's spec) must be admitted too: a write the API
 * server refuses fails the reconcile as surely as an exception.
 */
class AdmittedPoliciesPropertiesTest {

  private static Admission admission;
  private static final Set<String> ADMITTED_FIELDS = new ConcurrentSkipListSet<>();
  private static final AtomicInteger ADMITTED = new AtomicInteger();

  @BeforeContainer
  static void loadShippedCrds() {
    admission = Admission.ofShippedCrds();
  }

  @Provide
  Arbitrary<ObjectNode> policies() {
    return PolicyManifests.policies();
  }

  @Provide
  Arbitrary<List<Fleets.Shape>> fleets() {
    return Fleets.shapes();
  }

  @Provide
  Arbitrary<Instant> instants() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(
            6,
            Arbitraries.longs()
                .between(
                    Instant.parse("2024-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("2033-01-01T00:00:00Z").getEpochSecond())
                .map(Instant::ofEpochSecond)),
        net.jqwik.api.Tuple.of(
            1,
            Arbitraries.of(
                Instant.parse("2026-03-29T01:30:00Z"), Instant.parse("9899-12-31T23:00:00Z"))));
  }

  @Property(tries = 600, edgeCases = EdgeCasesMode.NONE)
  void anAdmittedPolicyRoundsAndReportsWithoutThrowing(
      @ForAll("policies") ObjectNode manifest,
      @ForAll("fleets") List<Fleets.Shape> fleet,
      @ForAll("instants") Instant now) {
    JsonNode stored = admission.defaulted(manifest);
    List<String> errors = admission.validate(stored);
    boolean admitted = errors.isEmpty();
    Statistics.label("admitted")
        .collect(admitted)
        .coverage(coverage -> coverage.check(true).percentage(p -> p >= 40));
    if (!admitted) {
      // which field's rule rejected it, list indexes and map keys left out
      Statistics.label("rejected at")
          .collect(errors.get(0).replaceAll("\\[[^]]*]", "[]").replaceAll(":.*", ""));
      return;
    }
    ADMITTED.incrementAndGet();
    fields(stored.path("spec"), "spec", ADMITTED_FIELDS);
    Statistics.label("managed nodes").collect(Math.min(fleet.size(), 5));

    OSUpdatePolicy policy = ReconcileRound.read(stored);
    ReconcileRound first = ReconcileRound.of(policy, fleet, now);
    assertAdmitted(first);
    policy.setStatus(first.status());
    ReconcileRound second = ReconcileRound.of(policy, fleet, first.next());
    assertAdmitted(second);
    Statistics.label("nodes started")
        .collect(
            first.round().plan().granted().isEmpty() ? "none" : "some",
            first.round().nodes().stream().anyMatch(n -> n.last().state() == NodeState.Failed));
  }

  private static void assertAdmitted(ReconcileRound round) {
    assertThat(admission.validate(round.policyWithStatus()))
        .as("the status the round composed")
        .isEmpty();
    for (JsonNode osNode : round.osNodes()) {
      assertThat(admission.validate(osNode)).as("the OSNode the round wrote").isEmpty();
    }
  }

  /**
   * Every field of the CRD's spec appears in some admitted manifest, so no part of the spec goes
   * untested, and enough manifests were admitted that the property says something.
   */
  @AfterContainer
  static void everySpecFieldWasAdmittedSomewhere() {
    Set<String> schemaFields = new TreeSet<>();
    fields(ReconcileRound.specSchema(), "spec", schemaFields, true);
    assertThat(ADMITTED.get()).as("admitted manifests").isGreaterThanOrEqualTo(200);
    assertThat(ADMITTED_FIELDS).containsAll(schemaFields);
  }

  /** The field paths of a JSON value (arrays as [], map keys of matchLabels as one field). */
  static void fields(JsonNode value, String path, Set<String> out) {
    out.add(path);
    if (value.isArray()) {
      value.forEach(element -> fields(element, path + "[]", out));
    } else if (value.isObject() && !path.endsWith("matchLabels")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        fields(field.getValue(), path + "." + field.getKey(), out);
      }
    }
  }

  /** The field paths an OpenAPI schema declares. */
  static void fields(JsonNode schema, String path, Set<String> out, boolean declared) {
    out.add(path);
    if (schema.has("items")) {
      fields(schema.get("items"), path + "[]", out, declared);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      fields(field.getValue(), path + "." + field.getKey(), out, declared);
    }
  }
}
