package dev.refit.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
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

  /**
   * Leader election through a Lease in the operator's namespace; the Operator SDK turns it on in
   * the prod profile, so two replicas never reconcile at once.
   */
  @Produces
  @jakarta.inject.Singleton
  LeaderElectionConfiguration leaderElection(RefitConfig config) {
    return new LeaderElectionConfiguration(
        config.leaderElection().leaseName(), config.leaderElection().namespace());
  }
}
