package dev.refit.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the embedded API recorded about disruptions: eviction decisions and budget violations. */
final class DisruptionLog {

  private final List<EvictionDecision> evictions = new CopyOnWriteArrayList<>();
  private final List<PdbViolation> violations = new CopyOnWriteArrayList<>();

  void record(EvictionDecision decision) {
    evictions.add(decision);
  }

  void record(PdbViolation violation) {
    violations.add(violation);
  }

  List<EvictionDecision> evictions() {
    return List.copyOf(evictions);
  }

  List<PdbViolation> violations() {
    return List.copyOf(violations);
  }

  void clear() {
    evictions.clear();
    violations.clear();
  }
}
