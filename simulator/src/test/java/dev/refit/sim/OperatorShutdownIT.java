package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.refit.testing.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator, leading through its Lease as the chart runs it, stops when the kubelet
 * asks it to (SIGTERM) within the pod's grace period, instead of hanging until it is killed: a
 * rolling upgrade of the operator then waits seconds, not the whole grace period per replica.
 */
class OperatorShutdownIT {

  @Test
  void theLeadingOperatorExitsOnSigtermWithinTheGracePeriod() throws Exception {
    Path log = Files.createTempFile("operator", ".log");
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start();
        OperatorProcess operator =
            new OperatorProcess(OperatorProcess.locate(null), api.url(), log)) {
      operator.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Lease lease =
                    api.client()
                        .leases()
                        .inNamespace("refit-system")
                        .withName("refit-operator")
                        .get();
                return lease != null && lease.getSpec().getHolderIdentity() != null;
              });

      assertThat(operator.terminate(Duration.ofSeconds(30)))
          .as("exited within 30 s of SIGTERM; its log: %s", log)
          .isTrue();
      assertThat(Files.readString(log)).contains("Stopped leading");
    }
  }
}
