package dev.refit.updater.app;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's configuration: each property {@code refit.agent.x-y} is read from the system property
 * of that name, else from the environment variable {@code REFIT_AGENT_X_Y}, else its default (the
 * MicroProfile Config order the Quarkus build used, so deployments keep their settings).
 *
 * @param nodeName the node this agent runs on, from the downward API ({@code
 *     NODE_NAME=spec.nodeName}); {@code refit.agent.node-name} overrides it
 * @param hostExecution how host commands reach the host: {@code nsenter} (hostPID, enter PID 1's
 *     namespaces), {@code chroot} (the host root mounted at {@code hostRoot}) or {@code direct}
 * @param hostRoot where the host's root is mounted in the pod, for {@code chroot}
 * @param runDir the pod path of the host's /run/refit (hostPath mount; emptied at every boot)
 * @param stateDir the pod path of the host's /var/lib/refit (hostPath mount)
 * @param backend {@code auto} detects the OS from /etc/os-release; {@code fake} runs an in-memory
 *     host
 * @param factsInterval how often host facts are read when nothing happens
 * @param rebootGrace how long the host may take to go down after a reboot request
 * @param httpPort the port of /q/health and /q/metrics (0: any free port, for tests)
 */
public record AgentConfig(
    String nodeName,
    String hostExecution,
    String hostRoot,
    String runDir,
    String stateDir,
    String backend,
    Duration factsInterval,
    Duration rebootGrace,
    int httpPort) {

  /** Quarkus' duration syntax: a number with an optional unit; no unit means seconds. */
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

  public AgentConfig {
    Objects.requireNonNull(nodeName, "nodeName");
  }

  /** The configuration of this process: system properties, then the environment. */
  public static AgentConfig fromProcess() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, String> properties = (Map) System.getProperties();
    return from(properties, System.getenv());
  }

  /** The configuration from the given system properties and environment. */
  public static AgentConfig from(Map<String, String> properties, Map<String, String> env) {
    Source source = new Source(properties, env);
    return new AgentConfig(
        source.get("node-name", env.getOrDefault("NODE_NAME", "")),
        source.get("host-execution", "nsenter"),
        source.get("host-root", "/host"),
        source.get("run-dir", "/run/refit"),
        source.get("state-dir", "/var/lib/refit"),
        source.get("backend", "auto"),
        source.duration("facts-interval", "10m"),
        source.duration("reboot-grace", "10m"),
        source.port("http-port", "8080"));
  }

  /**
   * Reads {@code 10m}, {@code 30s}, {@code 500ms}, {@code 2h}, {@code 1d}, {@code 15} or ISO-8601.
   */
  static Duration parseDuration(String value) {
    String text = value.trim();
    Matcher m = SHORT_DURATION.matcher(text);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        case "d" -> Duration.ofDays(amount);
        default -> Duration.ofSeconds(amount);
      };
    }
    return Duration.parse(text.toUpperCase(Locale.ROOT));
  }

  /** Property lookup in the order system property, environment variable, default. */
  private record Source(Map<String, String> properties, Map<String, String> env) {

    String get(String key, String defaultValue) {
      String property = "refit.agent." + key;
      String value = properties.get(property);
      if (value == null) {
        value = env.get(property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
      }
      return value == null ? defaultValue : value;
    }

    Duration duration(String key, String defaultValue) {
      String value = get(key, defaultValue);
      try {
        Duration duration = parseDuration(value);
        if (duration.isNegative() || duration.isZero()) {
          throw new IllegalArgumentException(
              "refit.agent." + key + " must be positive, not " + value);
        }
        return duration;
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "refit.agent." + key + ": not a duration (10m, 30s, PT10M): " + value, e);
      }
    }

    int port(String key, String defaultValue) {
      String value = get(key, defaultValue);
      try {
        int port = Integer.parseInt(value.trim());
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException("refit.agent." + key + ": not a port: " + value);
        }
        return port;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("refit.agent." + key + ": not a port: " + value, e);
      }
    }
  }
}
