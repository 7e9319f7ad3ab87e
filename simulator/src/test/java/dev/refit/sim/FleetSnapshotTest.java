package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.api.OSFamily;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FleetSnapshotTest {

  @Test
  void nodesWorkloadsAndBudgetsComeFromTheSnapshot() throws Exception {
    FleetSnapshot snapshot =
        FleetSnapshot.read(Path.of("src", "test", "resources", "sim", "snapshot.yaml"));

    assertThat(snapshot.nodes)
        .extracting(Scenario.NodeGroup::name)
        .containsExactly("cp-1", "worker-a", "worker-b", "worker-c", "worker-d");
    assertThat(snapshot.nodes.get(3).cordoned()).isTrue();
    assertThat(snapshot.nodes.get(1).os().version()).isEqualTo("41.20241215.3.0");
    // the DaemonSet pod is the kubelets' business, the bare pod is not simulated
    assertThat(snapshot.workloadSpecs())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.name()).isEqualTo("web-7d9f8c6b5");
              assertThat(w.namespace()).isEqualTo("shop");
              assertThat(w.replicas()).isEqualTo(3);
              assertThat(w.pdb().minAvailable().getIntVal()).isEqualTo(2);
            });
    assertThat(snapshot.skipped).singleElement().asString().startsWith("default/debug-shell");
  }

  @Test
  void aOneReplicaWorkloadWhoseBudgetAllowsNoEvictionIsNamedAndKeptOnItsNode() throws Exception {
    FleetSnapshot snapshot =
        FleetSnapshot.read(Path.of("src", "test", "resources", "sim", "snapshot-blocking.yaml"));
    Scenario scenario =
        snapshot.applyTo(
            Scenario.read(
                Path.of("src", "test", "resources", "sim", "snapshot-blocking-policy.yaml")),
            false);

    FleetSnapshot.Workload solo =
        snapshot.workloads.stream()
            .filter(w -> w.name().equals("solo-6c8f9d7b4"))
            .findFirst()
            .orElseThrow();
    assertThat(solo.pods())
        .singleElement()
        .satisfies(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("w-2"));
    assertThat(Preflight.of(scenario))
        .filteredOn(f -> f.kind() == Preflight.Kind.BLOCKING_BUDGET)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.subject()).isEqualTo("billing/solo");
              assertThat(f.nodes()).containsExactly("w-2");
              assertThat(f.detail())
                  .contains("minAvailable 1", "1 pod", "ReplicaSet solo-6c8f9d7b4");
            });
    // the snapshot's taints and allocatable reach the simulated nodes' scheduler
    assertThat(snapshot.nodeObjects.get(0).getSpec().getTaints()).hasSize(1);
    assertThat(scenario.snapshot()).isSameAs(snapshot);
    assertThat(scenario.workloads())
        .extracting(Scenario.WorkloadSpec::name)
        .containsExactly("solo-6c8f9d7b4", "web-7d9f8c6b5", "gpu-worker");
  }

  @Test
  void podsWithoutAControllerItSimulatesAreLeftOutWithWhy() throws Exception {
    FleetSnapshot snapshot =
        FleetSnapshot.read(Path.of("src", "test", "resources", "sim", "snapshot-blocking.yaml"));

    assertThat(snapshot.skipped)
        .extracting(FleetSnapshot.Skipped::pod, FleetSnapshot.Skipped::why)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "billing/report-28391040-x9k2q", "its controller is a Job, which is not simulated"),
            org.assertj.core.groups.Tuple.tuple(
                "default/debug-shell", "no controller: a drain evicts it and nothing replaces it"));
  }

  @Test
  void theOsIsReadFromTheNodesOsImage() {
    assertThat(FleetSnapshot.os("Bottlerocket OS 1.19.2 (aws-k8s-1.28)").family())
        .isEqualTo(OSFamily.Bottlerocket);
    assertThat(FleetSnapshot.os("Bottlerocket OS 1.19.2 (aws-k8s-1.28)").version())
        .isEqualTo("1.19.2");
    assertThat(FleetSnapshot.os("Flatcar Container Linux by Kinvolk 3510.3.5 (Oklo)").family())
        .isEqualTo(OSFamily.Flatcar);
    assertThat(FleetSnapshot.os("Red Hat Enterprise Linux CoreOS 417.94.202410211619-0").family())
        .isEqualTo(OSFamily.RHCOS);
  }

  private static FleetSnapshot readChanged(String from, String to) throws IOException {
    String text = Files.readString(Path.of("src", "test", "resources", "sim", "snapshot.yaml"));
    assertThat(text).contains(from);
    return FleetSnapshot.read(
        text.replaceFirst(Pattern.quote(from), to).getBytes(StandardCharsets.UTF_8),
        "snapshot.yaml");
  }

  @Test
  void anEmptyConditionIsNamedRatherThanANullPointer() {
    assertThatThrownBy(() -> readChanged("    conditions:\n", "    conditions:\n    - \n"))
        .isInstanceOf(ScenarioException.class)
        .hasMessage("snapshot.yaml: items[0].status.conditions[0]: an empty list item");
  }

  @Test
  void aNodeWithoutANameIsNamedByItsPlaceInTheItems() {
    assertThatThrownBy(() -> readChanged("    name: cp-1\n", "    nameless: cp-1\n"))
        .isInstanceOf(ScenarioException.class)
        .hasMessage("snapshot.yaml: items[0]: a Node needs metadata.name");
  }

  @Test
  void aMistypedFieldInAnItemIsNamedWithTheItemAndThePath() {
    assertThatThrownBy(() -> readChanged("unschedulable: true", "unschedulable: [yes]"))
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith("snapshot.yaml: items[")
        .hasMessageContaining("(Node): spec.unschedulable");
  }

  @Test
  void anOwnerReferenceWithoutAKindIsNamedRatherThanANullPointer() {
    assertThatThrownBy(
            () -> readChanged("{apiVersion: apps/v1, kind: ReplicaSet,", "{apiVersion: apps/v1,"))
        .isInstanceOf(ScenarioException.class)
        .hasMessageMatching(
            "snapshot\\.yaml: items\\[\\d+\\] \\(web-[^)]+\\): metadata\\.ownerReferences\\[0\\] needs kind");
  }

  @Test
  void aSelectorRequirementWithoutAnOperatorIsNamed() {
    String text =
        """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: policy/v1
          kind: PodDisruptionBudget
          metadata: {name: web, namespace: shop}
          spec:
            minAvailable: 1
            selector: {matchExpressions: [{key: app, values: [web]}]}
        - apiVersion: v1
          kind: Node
          metadata: {name: w-1}
        """;
    assertThatThrownBy(
            () -> FleetSnapshot.read(text.getBytes(StandardCharsets.UTF_8), "snapshot.yaml"))
        .isInstanceOf(ScenarioException.class)
        .hasMessage(
            "snapshot.yaml: items[0] (web): spec.selector.matchExpressions[0] needs operator");
  }
}
