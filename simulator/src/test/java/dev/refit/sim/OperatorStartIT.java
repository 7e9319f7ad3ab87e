package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.testing.EmbeddedKubernetes;
import dev.refit.testing.HeldRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator's start while the API server refuses the lists its caches begin with: it
 * asks again and starts once they answer (a passing refusal costs a wait, not a crashed container),
 * and refuses to start, naming the caches, when they never answer.
 */
class OperatorStartIT {

  private static final Predicate<HeldRequest> OPERATOR_LISTS_NODES =
      r ->
          r.userAgent() != null
              && r.userAgent().startsWith("refit-operator")
              && "nodes".equals(r.resource())
              && "GET".equals(r.method())
              && r.name() == null;

  @Test
  void aListRefusedAtStartIsAskedAgainAndTheOperatorStartsOnceItIsAnswered() throws Exception {
    Path log = Files.createTempFile("operator", ".log");
    ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start();
        OperatorProcess operator =
            new OperatorProcess(OperatorProcess.locate(null), api.url(), log)) {
      api.forbid(OPERATOR_LISTS_NODES);
      later.schedule(() -> api.forbid(null), 8, TimeUnit.SECONDS);

      // before, the first refused list stopped the operator and the start ended with its exit
      operator.start();

      String written = Files.readString(log);
      assertThat(written).as("the list was refused at least once; log %s", log).contains("403");
      assertThat(written).doesNotContain("Failed to start");
      assertThat(operator.starts()).isEqualTo(1);
    } finally {
      later.shutdownNow();
    }
  }

  @Test
  void aCacheThatNeverFillsRefusesTheStartAndSaysWhichAndWhatToCheck() throws Exception {
    Path log = Files.createTempFile("operator", ".log");
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start();
        OperatorProcess operator =
            new OperatorProcess(OperatorProcess.locate(null), api.url(), log)
                .setting("QUARKUS_OPERATOR_SDK_CACHE_SYNC_TIMEOUT", "3s")) {
      api.forbid(OPERATOR_LISTS_NODES);

      assertThatThrownBy(operator::start)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("exited at start");

      String written = Files.readString(log);
      assertThat(written)
          .contains("did not fill within quarkus.operator-sdk.cache-sync-timeout")
          .contains("ClusterRole allows get, list and watch");
      // only the Nodes' cache is named: the others filled
      String refusal = written.substring(written.indexOf("the operator's caches of"));
      assertThat(refusal.substring(0, refusal.indexOf(" did not fill")))
          .isEqualTo("the operator's caches of osupdatepolicy/nodes");
    }
  }
}
