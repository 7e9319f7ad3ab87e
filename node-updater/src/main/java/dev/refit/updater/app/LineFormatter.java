package dev.refit.updater.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per log record, as the Quarkus build printed them: {@code 21:32:38.568 INFO
 * [d.r.u.a.AgentService] host detected: ...}, then the stack trace if there is one.
 */
public final class LineFormatter extends Formatter {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  @Override
  public String format(LogRecord record) {
    StringBuilder line = new StringBuilder(128);
    line.append(TIME.format(LocalTime.ofInstant(record.getInstant(), ZoneId.systemDefault())))
        .append(' ');
    String level = level(record.getLevel());
    line.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
    line.append('[').append(abbreviate(record.getLoggerName())).append("] ");
    line.append(formatMessage(record)).append('\n');
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.append(trace);
    }
    return line.toString();
  }

  /** The level names of the Quarkus build (and of SLF4J, which Fabric8 logs through). */
  static String level(Level level) {
    int value = level.intValue();
    if (value >= Level.SEVERE.intValue()) {
      return "ERROR";
    } else if (value >= Level.WARNING.intValue()) {
      return "WARN";
    } else if (value >= Level.INFO.intValue()) {
      return "INFO";
    } else if (value >= Level.FINE.intValue()) {
      return "DEBUG";
    }
    return "TRACE";
  }

  /** {@code dev.refit.updater.app.AgentService} becomes {@code d.r.u.a.AgentService}. */
  static String abbreviate(String name) {
    if (name == null || name.isEmpty()) {
      return "root";
    }
    String[] parts = name.split("\\.");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      if (!parts[i].isEmpty()) {
        out.append(parts[i].charAt(0)).append('.');
      }
    }
    return out.append(parts[parts.length - 1]).toString();
  }
}
