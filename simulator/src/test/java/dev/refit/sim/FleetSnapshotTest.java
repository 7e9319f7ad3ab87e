package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.OSFamily;
import java.nio.file.Path;
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
    assertThat(snapshot.workloads)
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
}
