package dev.refit.updater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    AgentConfig config = AgentConfig.from(Map.of(), Map.of("NODE_NAME", "worker-1"));

    assertThat(config)
        .isEqualTo(
            new AgentConfig(
                "worker-1",
                "nsenter",
                "/host",
                "/run/refit",
                "/var/lib/refit",
                "auto",
                Duration.ofMinutes(10),
                Duration.ofMinutes(10),
                8080));
  }

  @Test
  void environmentVariablesAreThePropertyNamesInUpperCaseWithUnderscores() {
    AgentConfig config =
        AgentConfig.from(
            Map.of(),
            Map.of(
                "NODE_NAME", "worker-1",
                "REFIT_AGENT_HOST_EXECUTION", "chroot",
                "REFIT_AGENT_HOST_ROOT", "/rootfs",
                "REFIT_AGENT_RUN_DIR", "/r",
                "REFIT_AGENT_STATE_DIR", "/s",
                "REFIT_AGENT_BACKEND", "fake",
                "REFIT_AGENT_FACTS_INTERVAL", "30s",
                "REFIT_AGENT_REBOOT_GRACE", "PT15M",
                "REFIT_AGENT_HTTP_PORT", "9090"));

    assertThat(config)
        .isEqualTo(
            new AgentConfig(
                "worker-1",
                "chroot",
                "/rootfs",
                "/r",
                "/s",
                "fake",
                Duration.ofSeconds(30),
                Duration.ofMinutes(15),
                9090));
  }

  @Test
  void systemPropertiesWinOverTheEnvironment() {
    AgentConfig config =
        AgentConfig.from(
            Map.of("refit.agent.node-name", "from-property", "refit.agent.backend", "fake"),
            Map.of(
                "NODE_NAME", "from-downward-api",
                "REFIT_AGENT_NODE_NAME", "from-env",
                "REFIT_AGENT_BACKEND", "auto"));

    assertThat(config.nodeName()).isEqualTo("from-property");
    assertThat(config.backend()).isEqualTo("fake");
  }

  @Test
  void theNodeNameComesFromNodeNameUnlessTheAgentsOwnPropertyIsSet() {
    assertThat(AgentConfig.from(Map.of(), Map.of("NODE_NAME", "a")).nodeName()).isEqualTo("a");
    assertThat(
            AgentConfig.from(Map.of(), Map.of("NODE_NAME", "a", "REFIT_AGENT_NODE_NAME", "b"))
                .nodeName())
        .isEqualTo("b");
    assertThat(AgentConfig.from(Map.of(), Map.of()).nodeName()).isEmpty();
  }

  @Test
  void durationsAreReadInQuarkusShortFormOrIso8601() {
    assertThat(AgentConfig.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(AgentConfig.parseDuration("15")).isEqualTo(Duration.ofSeconds(15));
    assertThat(AgentConfig.parseDuration("15s")).isEqualTo(Duration.ofSeconds(15));
    assertThat(AgentConfig.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(AgentConfig.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(AgentConfig.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(AgentConfig.parseDuration(" PT1M30S ")).isEqualTo(Duration.ofSeconds(90));
    assertThat(AgentConfig.parseDuration("pt5m")).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void badValuesAreRefusedNamingTheProperty() {
    assertThatThrownBy(
            () -> AgentConfig.from(Map.of("refit.agent.facts-interval", "ten minutes"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refit.agent.facts-interval")
        .hasMessageContaining("ten minutes");
    assertThatThrownBy(() -> AgentConfig.from(Map.of("refit.agent.reboot-grace", "0s"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refit.agent.reboot-grace");
    assertThatThrownBy(() -> AgentConfig.from(Map.of(), Map.of("REFIT_AGENT_HTTP_PORT", "http")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refit.agent.http-port");
    assertThatThrownBy(() -> AgentConfig.from(Map.of("refit.agent.http-port", "70000"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refit.agent.http-port");
  }
}
