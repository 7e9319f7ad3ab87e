package dev.refit.updater.app;

import dev.refit.api.OSFamily;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Ready once the host's OS is detected and the watch of the node's own OSNode is connected. */
public final class AgentReadiness {

  /** The check's name in the health report. */
  static final String NAME = "refit-agent";

  private final Supplier<OSFamily> family;
  private final BooleanSupplier watching;

  /** The readiness of the given agent. */
  public AgentReadiness(AgentService service) {
    this(service::family, service::watching);
  }

  AgentReadiness(Supplier<OSFamily> family, BooleanSupplier watching) {
    this.family = family;
    this.watching = watching;
  }

  /** Whether the agent is ready. */
  public boolean ready() {
    return family.get() != null && watching.getAsBoolean();
  }

  /** What the check reports besides up or down (the fields the Quarkus health check had). */
  public Map<String, Object> data() {
    OSFamily f = family.get();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("hostDetected", f != null);
    data.put("family", String.valueOf(f));
    data.put("osNodeWatch", watching.getAsBoolean());
    return data;
  }
}
