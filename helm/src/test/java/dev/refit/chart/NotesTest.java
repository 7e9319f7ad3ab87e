package dev.refit.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import org.junit.jupiter.api.Test;

/**
 * What {@code helm install} prints (NOTES.txt, rendered by a client-only dry run): how to check the
 * installation, try and apply a policy, watch it, and upgrade the CRDs.
 */
class NotesTest {

  static String notes(String... values) {
    var install =
        new Helm(Chart.DIR)
            .install()
            .withName(Chart.RELEASE)
            .withNamespace(Chart.NAMESPACE)
            .withKubeVersion(Chart.KUBE_VERSION)
            .dryRun()
            .clientOnly();
    for (int i = 0; i < values.length; i += 2) {
      install.set(values[i], values[i + 1]);
    }
    return install.call().getOutput();
  }

  @Test
  void theNotesSayHowToCheckTryApplyAndWatchAPolicy() {
    assertThat(notes())
        .contains("kubectl -n refit-system get deployment,daemonset")
        .contains("kubectl apply --dry-run=server -f policy.yaml")
        .contains("kubectl get osupdatepolicies -w")
        .contains("kubectl describe osupdatepolicy")
        .contains("never upgrades them")
        .doesNotContain("WARNING");
  }

  @Test
  void theNotesWarnWhenTheNodeUpdatersOnlySimulateTheirHosts() {
    assertThat(notes("nodeUpdater.backend", "fake")).contains("WARNING").contains("change");
  }
}
