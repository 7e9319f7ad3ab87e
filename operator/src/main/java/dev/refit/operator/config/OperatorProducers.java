package dev.refit.operator.config;

import dev.refit.operator.act.LeaderMetrics;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** The operator's clock, settings and leader election, one place to read them from. */
@ApplicationScoped
public class OperatorProducers {

  @Produces
  @ApplicationScoped
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @jakarta.inject.Singleton
  OperatorSettings settings(RefitConfig config) {
    return config.settings();
  }

  @Produces
  @jakarta.inject.Singleton
  LeaderMetrics leaderMetrics(MeterRegistry registry) {
    return new LeaderMetrics(registry);
  }

  /**
   * Leader election through a Lease in the operator's namespace; the Operator SDK turns it on in
   * the prod profile, so two replicas never reconcile at once. The Lease's callbacks drive {@code
   * refit_operator_leader}; a replica that loses the Lease while running exits ({@link LeaseLoss}),
   * one that loses it because it is stopping just stops.
   */
  @Produces
  @jakarta.inject.Singleton
  LeaderElectionConfiguration leaderElection(
      RefitConfig config, LeaderMetrics leader, LeaseLoss loss) {
    LeaderCallbacks gauge = leader.callbacks();
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
            config.leaderElection().leaseName())
        .withLeaseNamespace(config.leaderElection().namespace())
        .withLeaderCallbacks(
            new LeaderCallbacks(
                gauge::onStartLeading,
                () -> {
                  gauge.onStopLeading();
                  loss.stoppedLeading();
                },
                gauge::onNewLeader))
        // LeaseLoss exits instead: the Operator SDK's exit would hang a shutdown (see there).
        .withExitOnStopLeading(false)
        .build();
  }

  /**
   * Without leader election (the profiles the Operator SDK leaves it off in) this process
   * reconciles from the start, so it reports itself as the leader. With it on, only the Lease's
   * callbacks move the gauge.
   */
  void leaderWithoutElection(
      @Observes StartupEvent started, Operator operator, LeaderMetrics leader) {
    if (operator.getConfigurationService().getLeaderElectionConfiguration().isEmpty()) {
      leader.electionOff();
    }
  }
}
