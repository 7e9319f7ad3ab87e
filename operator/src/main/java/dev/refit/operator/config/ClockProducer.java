package dev.refit.operator.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** The operator's clock and settings, one place to read them from. */
@ApplicationScoped
public class ClockProducer {

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
}
