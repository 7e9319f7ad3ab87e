package dev.refit.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.operator.act.LeaderMetrics;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The leader election the Operator SDK is given: the configured Lease, reported as a gauge. */
class OperatorProducersTest {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final LeaderMetrics leader = new LeaderMetrics(registry);
  final AtomicInteger exits = new AtomicInteger();
  final LeaseLoss loss = new LeaseLoss(exits::incrementAndGet);
  final LeaderElectionConfiguration election =
      new OperatorProducers().leaderElection(config("refit-lease", "refit-system"), leader, loss);

  @Test
  void theLeaseHasTheConfiguredNameInTheConfiguredNamespace() {
    assertThat(election.getLeaseName()).isEqualTo("refit-lease");
    assertThat(election.getLeaseNamespace()).contains("refit-system");
  }

  @Test
  void losingTheLeaseWhileRunningEndsTheProcess() {
    election.getLeaderCallbacks().orElseThrow().onStartLeading();
    election.getLeaderCallbacks().orElseThrow().onStopLeading();

    assertThat(exits).hasValue(1);
    assertThat(registry.get("refit.operator.leader").gauge().value()).isZero();
  }

  @Test
  void losingTheLeaseBecauseTheProcessStopsDoesNotExitAgain() {
    election.getLeaderCallbacks().orElseThrow().onStartLeading();
    loss.stopping(new ShutdownEvent());
    election.getLeaderCallbacks().orElseThrow().onStopLeading();

    assertThat(exits).hasValue(0);
    // The Operator SDK's own exit would run inside the shutdown hook and block it for good.
    assertThat(election.isExitOnStopLeading()).isFalse();
  }

  @Test
  void takingTheLeaseSetsTheLeaderGauge() {
    election.getLeaderCallbacks().orElseThrow().onStartLeading();

    assertThat(registry.get("refit.operator.leader").gauge().value()).isEqualTo(1);
  }

  private static RefitConfig config(String leaseName, String namespace) {
    return new RefitConfig() {
      @Override
      public Drain drain() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Events events() {
        throw new UnsupportedOperationException();
      }

      @Override
      public LeaderElection leaderElection() {
        return new LeaderElection() {
          @Override
          public String leaseName() {
            return leaseName;
          }

          @Override
          public String namespace() {
            return namespace;
          }
        };
      }

      @Override
      public Optional<String> nodeName() {
        return Optional.empty();
      }

      @Override
      public HealthQuery healthQuery() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Selinux selinux() {
        throw new UnsupportedOperationException();
      }
    };
  }
}
