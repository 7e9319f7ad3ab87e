package dev.refit.operator.plan;

import dev.refit.api.RefitApi;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pod's opt-out of disruption: its {@code refit.dev/do-not-disrupt} annotation, read. {@code
 * "true"} holds the pod for good, a duration ({@code "90s"}, {@code "30m"}, {@code "2h"}, {@code
 * "1h30m"}) for that long after the pod started, {@code "false"} not at all. A drain does not evict
 * a pod while it holds; the drain timeout still applies, with the outcome the policy chose.
 *
 * <p>A value that is none of these is not guessed at in the pod's disfavour: the pod is held for
 * good, and the drain's blocker says what is wrong with the value.
 *
 * @param value the annotation as written
 * @param until when the opt-out ends, or null for never
 * @param problem why the value could not be read, or null
 */
public record DoNotDisrupt(String value, Instant until, String problem) {

  private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  /** The pod's opt-out, if its annotation asks for one. */
  public static Optional<DoNotDisrupt> of(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(RefitApi.DO_NOT_DISRUPT_ANNOTATION);
    if (value == null) {
      return Optional.empty();
    }
    String trimmed = value.trim().toLowerCase(Locale.ROOT);
    if (trimmed.equals("false")) {
      return Optional.empty();
    }
    if (trimmed.equals("true")) {
      return Optional.of(new DoNotDisrupt(value, null, null));
    }
    Duration duration = duration(trimmed);
    if (duration == null) {
      return Optional.of(
          new DoNotDisrupt(
              value, null, "neither true, false nor a duration like 90s, 30m, 2h or 1h30m"));
    }
    Instant started = started(pod);
    if (started == null) {
      return Optional.of(
          new DoNotDisrupt(value, null, "the pod has no start or creation time to count from"));
    }
    try {
      return Optional.of(new DoNotDisrupt(value, started.plus(duration), null));
    } catch (java.time.DateTimeException | ArithmeticException e) {
      return Optional.of(new DoNotDisrupt(value, null, null)); // past the end of time
    }
  }

  /** Whether the pod is still held at {@code now}. */
  public boolean holds(Instant now) {
    return until == null || now.isBefore(until);
  }

  /** The opt-out as a person reads it, after the pod's name. */
  public String describe() {
    String annotation = RefitApi.DO_NOT_DISRUPT_ANNOTATION + ": " + value;
    if (problem != null) {
      return "which opted out of disruption (" + annotation + ": " + problem + "; held for good)";
    }
    return "which opted out of disruption ("
        + annotation
        + (until == null ? ")" : ", until " + until + ")");
  }

  private static Duration duration(String value) {
    Matcher m = DURATION.matcher(value);
    if (value.isEmpty() || !m.matches()) {
      return null;
    }
    try {
      long hours = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
      long minutes = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
      long seconds = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
      return Duration.ofHours(hours).plusMinutes(minutes).plusSeconds(seconds);
    } catch (ArithmeticException | NumberFormatException e) {
      return null; // more digits than any opt-out needs
    }
  }

  private static Instant started(Pod pod) {
    String time =
        pod.getStatus() != null && pod.getStatus().getStartTime() != null
            ? pod.getStatus().getStartTime()
            : pod.getMetadata().getCreationTimestamp();
    if (time == null) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
