package dev.refit.testing.invariants;

import dev.refit.api.OSUpdatePolicy;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The OSUpdatePolicies as a watcher saw them, by name: as they are now, and as they stood at an
 * earlier moment — the operator decides from a cache a little behind the watch, so a judge may have
 * to take a policy as it was just before an edit. A policy being deleted still counts until the
 * watch reports it gone.
 */
public final class SeenPolicies {

  /** A change of one policy's spec (or its appearance or removal), with the policy before it. */
  private record Change(Instant at, String name, OSUpdatePolicy before) {}

  private final Map<String, OSUpdatePolicy> current = new TreeMap<>();
  private final List<Change> changes = new ArrayList<>();

  /** Returns whether this was a change of the policy's spec (or its appearance). */
  boolean put(OSUpdatePolicy policy, Instant at) {
    at = notBeforeLastChange(at);
    String name = policy.getMetadata().getName();
    OSUpdatePolicy before = current.put(name, policy);
    // status writes come often and change nothing a judge reads: only spec changes are history
    if (before == null
        || !Objects.equals(PolicyReadings.spec(before), PolicyReadings.spec(policy))) {
      changes.add(new Change(at, name, before));
      return true;
    }
    return false;
  }

  void remove(String name, Instant at) {
    at = notBeforeLastChange(at);
    OSUpdatePolicy before = current.remove(name);
    if (before != null) {
      changes.add(new Change(at, name, before));
    }
  }

  /**
   * The history stays in order: a change stamped by the server earlier than one stamped by the
   * watcher (a deletion, whose time only the watch tells) counts from the later moment.
   */
  private Instant notBeforeLastChange(Instant at) {
    if (changes.isEmpty()) {
      return at;
    }
    Instant last = changes.get(changes.size() - 1).at();
    return at.isBefore(last) ? last : at;
  }

  /** The policies as last seen, by name. */
  public Map<String, OSUpdatePolicy> now() {
    return Collections.unmodifiableMap(current);
  }

  /** One policy as last seen, or null. */
  public OSUpdatePolicy get(String name) {
    return current.get(name);
  }

  /** The policies as they stood at this moment, by name. */
  public Map<String, OSUpdatePolicy> at(Instant moment) {
    Map<String, OSUpdatePolicy> then = new TreeMap<>(current);
    for (int i = changes.size() - 1; i >= 0 && changes.get(i).at().isAfter(moment); i--) {
      Change change = changes.get(i);
      if (change.before() == null) {
        then.remove(change.name());
      } else {
        then.put(change.name(), change.before());
      }
    }
    return then;
  }

  /**
   * Every way the policies stood from this moment until now: as at the moment, then after each
   * change.
   */
  public List<Map<String, OSUpdatePolicy>> since(Instant moment) {
    List<Map<String, OSUpdatePolicy>> views = new ArrayList<>();
    views.add(at(moment));
    changes.stream()
        .map(Change::at)
        .filter(at -> at.isAfter(moment))
        .distinct()
        .forEach(at -> views.add(at(at)));
    return views;
  }

  /**
   * Every way the policies stood from {@code from} until {@code to}: as at {@code from}, then after
   * each change up to {@code to}.
   */
  public List<Map<String, OSUpdatePolicy>> between(Instant from, Instant to) {
    List<Map<String, OSUpdatePolicy>> views = new ArrayList<>();
    views.add(at(from));
    changes.stream()
        .map(Change::at)
        .filter(at -> at.isAfter(from) && !at.isAfter(to))
        .distinct()
        .forEach(at -> views.add(at(at)));
    return views;
  }

  /** The policy that manages this node now (see {@link PolicyReadings#managing}), or null. */
  public OSUpdatePolicy managing(Node node) {
    String name = PolicyReadings.managing(node, current.values());
    return name == null ? null : current.get(name);
  }
}
