package dev.refit.updater.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The agent's configuration ({@code refit.agent.*}, or env {@code REFIT_AGENT_*}). */
@ConfigMapping(prefix = "refit.agent")
public interface AgentConfig {

  /** The node this agent runs on, from the downward API ({@code NODE_NAME=spec.nodeName}). */
  @WithDefault("${NODE_NAME:}")
  String nodeName();

  /**
   * How host commands reach the host: {@code nsenter} (default: hostPID, enter PID 1's namespaces),
   * {@code chroot} (the host root mounted at {@link #hostRoot()}), or {@code direct}.
   */
  @WithDefault("nsenter")
  String hostExecution();

  /** Where the host's root is mounted in the pod, for {@code chroot}. */
  @WithDefault("/host")
  String hostRoot();

  /** The pod path of the host's /run/refit (hostPath mount; emptied at every boot). */
  @WithDefault("/run/refit")
  String runDir();

  /** The pod path of the host's /var/lib/refit (hostPath mount). */
  @WithDefault("/var/lib/refit")
  String stateDir();

  /** {@code auto} detects the OS from /etc/os-release; {@code fake} runs an in-memory host. */
  @WithDefault("auto")
  String backend();

  /** How often host facts are read when nothing happens. */
  @WithDefault("10m")
  Duration factsInterval();

  /** How long the host may take to go down after a reboot request. */
  @WithDefault("10m")
  Duration rebootGrace();
}
