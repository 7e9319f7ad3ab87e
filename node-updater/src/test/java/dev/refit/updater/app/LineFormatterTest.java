package dev.refit.updater.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LineFormatterTest {

  @Test
  void oneLineWithTimeLevelAbbreviatedLoggerAndMessage() {
    LogRecord record = new LogRecord(Level.WARNING, "cannot detect the OS: {0}");
    record.setParameters(new Object[] {"no /etc/os-release"});
    record.setLoggerName("dev.refit.updater.app.AgentService");

    String line = new LineFormatter().format(record);

    assertThat(line)
        .matches(
            "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[d\\.r\\.u\\.a\\.AgentService\\] cannot detect"
                + " the OS: no /etc/os-release\n");
  }

  @Test
  void aThrowableFollowsWithItsStackTrace() {
    LogRecord record = new LogRecord(Level.SEVERE, "the agent cannot start");
    record.setLoggerName("dev.refit.updater.app.AgentMain");
    record.setThrown(new IllegalStateException("NODE_NAME is not set"));

    String text = new LineFormatter().format(record);

    assertThat(text)
        .contains("ERROR [d.r.u.a.AgentMain] the agent cannot start\n")
        .contains("java.lang.IllegalStateException: NODE_NAME is not set\n\tat ");
  }

  @Test
  void levelsAreNamedAsSlf4jNamesThem() {
    assertThat(LineFormatter.level(Level.SEVERE)).isEqualTo("ERROR");
    assertThat(LineFormatter.level(Level.WARNING)).isEqualTo("WARN");
    assertThat(LineFormatter.level(Level.INFO)).isEqualTo("INFO");
    assertThat(LineFormatter.level(Level.FINE)).isEqualTo("DEBUG");
    assertThat(LineFormatter.level(Level.FINEST)).isEqualTo("TRACE");
    assertThat(LineFormatter.abbreviate("io.fabric8.kubernetes.client.Watcher"))
        .isEqualTo("i.f.k.c.Watcher");
    assertThat(LineFormatter.abbreviate("")).isEqualTo("root");
  }
}
