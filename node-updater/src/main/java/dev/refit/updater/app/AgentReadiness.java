package dev.refit.updater.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the host's OS is detected and the watch of the node's own OSNode is connected. */
@Readiness
@ApplicationScoped
public class AgentReadiness implements HealthCheck {

  private final AgentService service;

  public AgentReadiness(AgentService service) {
    this.service = service;
  }

  @Override
  public HealthCheckResponse call() {
    boolean detected = service.family() != null;
    boolean watching = service.watching();
    return HealthCheckResponse.named("refit-agent")
        .status(detected && watching)
        .withData("hostDetected", detected)
        .withData("family", String.valueOf(service.family()))
        .withData("osNodeWatch", watching)
        .build();
  }
}
