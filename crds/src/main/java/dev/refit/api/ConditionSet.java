package dev.refit.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a new list of conditions from the previous one, carrying {@code lastTransitionTime}
 * forward while a condition's status stays the same, as Kubernetes conventions ask.
 */
public final class ConditionSet {

  private final List<Condition> previous;
  private final List<Condition> next = new ArrayList<>();
  private final Long generation;
  private final String now;

  /**
   * @param previous the conditions as they are now, or null
   * @param generation the generation the new conditions observe, or null if unknown
   * @param now the time of a transition
   */
  public ConditionSet(List<Condition> previous, Long generation, Instant now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = now.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * Sets a condition; its transition time moves only if its status changed. A message longer than
   * the schema admits is cut, so the status write is never refused for it.
   */
  public ConditionSet set(String type, Condition.Status status, String reason, String message) {
    Condition condition =
        new Condition(
            type, status, reason, Condition.shortened(message, Condition.MAX_MESSAGE), generation);
    condition.setLastTransitionTime(
        previous.stream()
            .filter(c -> type.equals(c.getType()) && c.getStatus() == status)
            .map(Condition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(now));
    next.add(condition);
    return this;
  }

  public ConditionSet set(String type, boolean status, String reason, String message) {
    return set(type, status ? Condition.Status.True : Condition.Status.False, reason, message);
  }

  public List<Condition> build() {
    return new ArrayList<>(next);
  }
}
