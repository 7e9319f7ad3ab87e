package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.sim.Scheduling.Requests;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchedulingTest {

  private static final String FITS = "fits";

  static Stream<Arguments> podsAndNodes() {
    return Stream.of(
        row("a plain pod on a Ready node", pod(p -> p), node(n -> n), FITS),
        row(
            "a cordoned node",
            pod(p -> p),
            node(SchedulingTest::cordoned),
            Scheduling.UNSCHEDULABLE),
        row(
            "a cordoned node, tolerated",
            pod(
                p ->
                    tolerating(
                        p,
                        toleration(Scheduling.UNSCHEDULABLE_TAINT, "Exists", null, "NoSchedule"))),
            node(SchedulingTest::cordoned),
            FITS),
        row("a NotReady node", pod(p -> p), node(SchedulingTest::notReady), Scheduling.NOT_READY),
        row(
            "a NotReady node, the usual 300 s NoExecute toleration is not enough",
            pod(
                p ->
                    tolerating(
                        p, toleration(Scheduling.NOT_READY_TAINT, "Exists", null, "NoExecute"))),
            node(SchedulingTest::notReady),
            Scheduling.NOT_READY),
        row(
            "nodeSelector matches",
            pod(p -> selecting(p, "zone", "a")),
            node(n -> labelled(n, "zone", "a")),
            FITS),
        row(
            "nodeSelector, other value",
            pod(p -> selecting(p, "zone", "a")),
            node(n -> labelled(n, "zone", "b")),
            Scheduling.SELECTOR),
        row(
            "nodeSelector, label missing",
            pod(p -> selecting(p, "zone", "a")),
            node(n -> n),
            Scheduling.SELECTOR),
        row(
            "affinity In, matching",
            pod(p -> affinity(p, req("zone", "In", "a", "b"))),
            node(n -> labelled(n, "zone", "b")),
            FITS),
        row(
            "affinity In, not matching",
            pod(p -> affinity(p, req("zone", "In", "a"))),
            node(n -> labelled(n, "zone", "c")),
            Scheduling.SELECTOR),
        row(
            "affinity In, label missing",
            pod(p -> affinity(p, req("zone", "In", "a"))),
            node(n -> n),
            Scheduling.SELECTOR),
        row(
            "affinity NotIn, other value",
            pod(p -> affinity(p, req("zone", "NotIn", "a"))),
            node(n -> labelled(n, "zone", "b")),
            FITS),
        row(
            "affinity NotIn, label missing",
            pod(p -> affinity(p, req("zone", "NotIn", "a"))),
            node(n -> n),
            FITS),
        row(
            "affinity NotIn, listed value",
            pod(p -> affinity(p, req("zone", "NotIn", "a"))),
            node(n -> labelled(n, "zone", "a")),
            Scheduling.SELECTOR),
        row(
            "affinity Exists",
            pod(p -> affinity(p, req("gpu", "Exists"))),
            node(n -> labelled(n, "gpu", "")),
            FITS),
        row(
            "affinity Exists, missing",
            pod(p -> affinity(p, req("gpu", "Exists"))),
            node(n -> n),
            Scheduling.SELECTOR),
        row(
            "affinity DoesNotExist",
            pod(p -> affinity(p, req("gpu", "DoesNotExist"))),
            node(n -> n),
            FITS),
        row(
            "affinity DoesNotExist, present",
            pod(p -> affinity(p, req("gpu", "DoesNotExist"))),
            node(n -> labelled(n, "gpu", "1")),
            Scheduling.SELECTOR),
        row(
            "affinity: one of two terms is enough",
            pod(
                p ->
                    affinity(
                        p,
                        List.of(List.of(req("zone", "In", "x")), List.of(req("gpu", "Exists"))))),
            node(n -> labelled(n, "gpu", "1")),
            FITS),
        row(
            "affinity: every expression of a term must hold",
            pod(p -> affinity(p, List.of(List.of(req("zone", "In", "a"), req("gpu", "Exists"))))),
            node(n -> labelled(n, "zone", "a")),
            Scheduling.SELECTOR),
        row(
            "a NoSchedule taint",
            pod(p -> p),
            node(n -> tainted(n, "dedicated", "db", "NoSchedule")),
            "node(s) had untolerated taint {dedicated: db}"),
        row(
            "a NoExecute taint",
            pod(p -> p),
            node(n -> tainted(n, "dedicated", "db", "NoExecute")),
            "node(s) had untolerated taint {dedicated: db}"),
        row(
            "a PreferNoSchedule taint is only a preference",
            pod(p -> p),
            node(n -> tainted(n, "dedicated", "db", "PreferNoSchedule")),
            FITS),
        row(
            "a taint tolerated by key and value",
            pod(p -> tolerating(p, toleration("dedicated", "Equal", "db", "NoSchedule"))),
            node(n -> tainted(n, "dedicated", "db", "NoSchedule")),
            FITS),
        row(
            "a toleration of another value",
            pod(p -> tolerating(p, toleration("dedicated", "Equal", "web", "NoSchedule"))),
            node(n -> tainted(n, "dedicated", "db", "NoSchedule")),
            "node(s) had untolerated taint {dedicated: db}"),
        row(
            "a toleration of another effect",
            pod(p -> tolerating(p, toleration("dedicated", "Exists", null, "NoExecute"))),
            node(n -> tainted(n, "dedicated", "db", "NoSchedule")),
            "node(s) had untolerated taint {dedicated: db}"),
        row(
            "a toleration of every effect",
            pod(p -> tolerating(p, toleration("dedicated", "Exists", null, null))),
            node(n -> tainted(n, "dedicated", "db", "NoSchedule")),
            FITS),
        row(
            "an empty key with Exists tolerates everything",
            pod(p -> tolerating(p, toleration(null, "Exists", null, null))),
            node(n -> cordoned(tainted(n, "dedicated", "db", "NoExecute"))),
            FITS),
        row(
            "cpu that fits",
            pod(p -> requesting(p, "1500m", "1Gi")),
            node(n -> allocatable(n, "2", "4Gi", "10")),
            FITS),
        row(
            "too much cpu",
            pod(p -> requesting(p, "2500m", "1Gi")),
            node(n -> allocatable(n, "2", "4Gi", "10")),
            Scheduling.CPU),
        row(
            "too much memory",
            pod(p -> requesting(p, "1", "5Gi")),
            node(n -> allocatable(n, "2", "4Gi", "10")),
            Scheduling.MEMORY),
        row(
            "no pod slot left",
            pod(p -> p),
            node(n -> allocatable(n, "2", "4Gi", "0")),
            Scheduling.TOO_MANY_PODS),
        row(
            "no allocatable given: no limit",
            pod(p -> requesting(p, "64", "1Ti")),
            node(n -> n),
            FITS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podsAndNodes")
  void aPodFitsANodeAsKubeSchedulerWouldJudge(String what, Pod pod, Node node, String expected) {
    assertThat(Scheduling.unfit(pod, node, Requests.NONE).orElse(FITS)).isEqualTo(expected);
  }

  @Test
  void whatOtherPodsAskOfANodeCountsAgainstItsAllocatable() {
    Node node = node(n -> allocatable(n, "2", "4Gi", "3"));
    Pod asking = pod(p -> requesting(p, "1", "1Gi"));

    assertThat(Scheduling.unfit(asking, node, new Requests(1000, 1L << 30, 1))).isEmpty();
    assertThat(Scheduling.unfit(asking, node, new Requests(1001, 0, 1))).contains(Scheduling.CPU);
    assertThat(Scheduling.unfit(asking, node, new Requests(0, (3L << 30) + 1, 1)))
        .contains(Scheduling.MEMORY);
    assertThat(Scheduling.unfit(asking, node, new Requests(0, 0, 3)))
        .contains(Scheduling.TOO_MANY_PODS);
  }

  @Test
  void usageSumsTheBoundPodsThatStillHoldTheirRoom() {
    Pod a = bound(pod(p -> requesting(p, "250m", "100Mi")), "n1");
    Pod b = bound(pod(p -> requesting(p, "500m", "100Mi")), "n1");
    Pod done = bound(pod(p -> requesting(p, "4", "4Gi")), "n1");
    done.getStatus().setPhase("Succeeded");
    Pod unbound = pod(p -> requesting(p, "4", "4Gi"));

    assertThat(Scheduling.usage(List.of(a, b, done, unbound)))
        .containsExactly(Map.entry("n1", new Requests(750, 200L << 20, 2)));
  }

  @Test
  void anInitContainerAsksForMoreThanTheAppOnlyWhenItIsLarger() {
    Pod pod =
        new PodBuilder(pod(p -> requesting(p, "500m", "64Mi")))
            .editSpec()
            .addNewInitContainer()
            .withName("init")
            .withNewResources()
            .addToRequests("cpu", new Quantity("2"))
            .addToRequests("memory", new Quantity("1Mi"))
            .endResources()
            .endInitContainer()
            .endSpec()
            .build();

    assertThat(Scheduling.requests(pod)).isEqualTo(new Requests(2000, 64L << 20, 1));
  }

  @Test
  void theLeastLoadedFittingNodeWinsThenTheFirstByName() {
    List<Node> nodes =
        List.of(named("c", n -> n), named("b", n -> n), named("a", SchedulingTest::cordoned));
    Map<String, Requests> used = Map.of("b", new Requests(0, 0, 2), "c", new Requests(0, 0, 1));

    assertThat(Scheduling.place(pod(p -> p), nodes, used).node()).isEqualTo("c");
    assertThat(Scheduling.place(pod(p -> p), nodes, Map.of()).node()).isEqualTo("b");
  }

  @Test
  void aPodThatFitsNowhereStaysPendingWithTheSchedulersSummary() {
    List<Node> nodes =
        List.of(
            named("a", SchedulingTest::cordoned),
            named("b", n -> allocatable(n, "1", "1Gi", "10")),
            named("c", n -> allocatable(n, "1", "1Gi", "10")));

    Scheduling.Placement placement =
        Scheduling.place(pod(p -> requesting(p, "2", "1Mi")), nodes, Map.of());

    assertThat(placement.placed()).isFalse();
    assertThat(placement.reason())
        .isEqualTo("0/3 nodes are available: 2 Insufficient cpu, 1 node(s) were unschedulable.");
  }

  // --- builders, so each row reads as one line

  private static Arguments row(String what, Pod pod, Node node, String expected) {
    return Arguments.of(what, pod, node, expected);
  }

  private static Pod pod(UnaryOperator<PodBuilder> change) {
    return change
        .apply(
            new PodBuilder()
                .withNewMetadata()
                .withName("app-1")
                .withNamespace("shop")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .endStatus())
        .build();
  }

  private static Pod bound(Pod pod, String node) {
    pod.getSpec().setNodeName(node);
    return pod;
  }

  private static Node node(UnaryOperator<NodeBuilder> change) {
    return named("n1", change);
  }

  private static Node named(String name, UnaryOperator<NodeBuilder> change) {
    return change
        .apply(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("kubernetes.io/hostname", name)
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus())
        .build();
  }

  private static NodeBuilder cordoned(NodeBuilder node) {
    return node.editSpec().withUnschedulable(true).endSpec();
  }

  private static NodeBuilder notReady(NodeBuilder node) {
    return node.editStatus()
        .withConditions(List.of())
        .addNewCondition()
        .withType("Ready")
        .withStatus("False")
        .endCondition()
        .endStatus();
  }

  private static NodeBuilder labelled(NodeBuilder node, String key, String value) {
    return node.editMetadata().addToLabels(key, value).endMetadata();
  }

  private static NodeBuilder tainted(NodeBuilder node, String key, String value, String effect) {
    return node.editSpec().addToTaints(new Taint(effect, key, null, value)).endSpec();
  }

  private static NodeBuilder allocatable(NodeBuilder node, String cpu, String memory, String pods) {
    return node.editStatus()
        .addToAllocatable("cpu", new Quantity(cpu))
        .addToAllocatable("memory", new Quantity(memory))
        .addToAllocatable("pods", new Quantity(pods))
        .endStatus();
  }

  private static PodBuilder selecting(PodBuilder pod, String key, String value) {
    return pod.editSpec().addToNodeSelector(key, value).endSpec();
  }

  private static PodBuilder tolerating(PodBuilder pod, Toleration toleration) {
    return pod.editSpec().addToTolerations(toleration).endSpec();
  }

  private static Toleration toleration(String key, String operator, String value, String effect) {
    return new Toleration(effect, key, operator, null, value);
  }

  private static PodBuilder requesting(PodBuilder pod, String cpu, String memory) {
    return pod.editSpec()
        .editFirstContainer()
        .withNewResources()
        .addToRequests("cpu", new Quantity(cpu))
        .addToRequests("memory", new Quantity(memory))
        .endResources()
        .endContainer()
        .endSpec();
  }

  private static NodeSelectorRequirement req(String key, String operator, String... values) {
    return new NodeSelectorRequirement(key, operator, values.length == 0 ? null : List.of(values));
  }

  private static PodBuilder affinity(PodBuilder pod, NodeSelectorRequirement requirement) {
    return affinity(pod, List.of(List.of(requirement)));
  }

  private static PodBuilder affinity(PodBuilder pod, List<List<NodeSelectorRequirement>> terms) {
    return pod.editSpec()
        .withNewAffinity()
        .withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .withNodeSelectorTerms(
            terms.stream()
                .map(
                    t ->
                        new io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder()
                            .withMatchExpressions(t)
                            .build())
                .toList())
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .endAffinity()
        .endSpec();
  }
}
