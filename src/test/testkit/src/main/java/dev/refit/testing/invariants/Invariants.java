package dev.refit.testing.invariants;

import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The invariants a watcher judges, and what it has seen: the watcher hands over every Node, OSNode,
 * OSUpdatePolicy and (if it watches them) Pod its watches deliver, as they arrive, and at the end
 * asks what is left broken. Times are when the server wrote each object where a {@link ServerClock}
 * tells, else the watcher's clock when it arrived.
 */
public final class Invariants {

  private final List<Invariant> invariants;
  private final SeenNodes seen;
  private final List<Violation> violations = new ArrayList<>();

  /** Judged on the system clock. */
  public Invariants(List<Invariant> invariants) {
    this(invariants, Clock.systemUTC());
  }

  /** Judged on this clock: it stamps each object as it arrives. */
  public Invariants(List<Invariant> invariants, Clock clock) {
    this(invariants, clock, ServerClock.NONE);
  }

  /**
   * Judged on the system clock, each object stamped with the moment the server wrote it where the
   * server tells ({@link SeenNodes#written}).
   */
  public Invariants(List<Invariant> invariants, ServerClock server) {
    this(invariants, Clock.systemUTC(), server);
  }

  /** Judged on this clock, each object stamped with when the server wrote it where it tells. */
  public Invariants(List<Invariant> invariants, Clock clock, ServerClock server) {
    this.invariants = List.copyOf(invariants);
    this.seen = new SeenNodes(clock, server);
  }

  /** Takes in a Node as a watch delivered it; returns what this change broke. */
  public synchronized List<Violation> node(Node node) {
    Node older = seen.node(node.getMetadata().getName());
    seen.put(node);
    return judged(invariant -> invariant.nodeSeen(older, node, seen));
  }

  /** A Node was deleted: it no longer counts. */
  public synchronized void nodeDeleted(String name) {
    seen.remove(name);
  }

  /** Takes in an OSNode as a watch delivered it. */
  public synchronized void osNode(OSNode osNode) {
    seen.put(osNode);
  }

  /** An OSNode was deleted (a person retries the node); returns what that broke. */
  public synchronized List<Violation> osNodeDeleted(String name) {
    seen.removeOsNode(name);
    return judged(invariant -> invariant.osNodeGone(name, seen));
  }

  /** Takes in an OSUpdatePolicy as a watch delivered it (one being deleted still counts). */
  public synchronized void policy(OSUpdatePolicy policy) {
    if (seen.policies().put(policy, seen.written(policy))) {
      seen.policyChanged();
    }
  }

  /** A policy is gone from the API: from now on it manages nothing. */
  public synchronized void policyDeleted(String name) {
    seen.policies().remove(name, seen.now());
    seen.policyChanged();
  }

  /** Takes in a Pod as a watch delivered it; returns what this change broke. */
  public synchronized List<Violation> pod(Pod pod) {
    Pod older = seen.removePod(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    seen.put(pod);
    return judged(invariant -> invariant.podSeen(older, pod, seen));
  }

  /** A Pod is gone from the API; returns what that broke. */
  public synchronized List<Violation> podDeleted(String namespace, String name) {
    Pod last = seen.removePod(namespace, name);
    if (last == null) {
      return List.of();
    }
    return judged(invariant -> invariant.podGone(last, seen));
  }

  /** Judges what is left at the end (what was broken on the way is {@link #violations()}). */
  public synchronized List<Violation> atEnd() {
    List<Violation> found = new ArrayList<>();
    for (Invariant invariant : invariants) {
      found.addAll(invariant.atEnd(seen));
    }
    return found;
  }

  /** What was broken on the way so far, earliest first. */
  public synchronized List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** Reads what was seen, under the same lock as the changes. */
  public synchronized <T> T read(Function<SeenNodes, T> reader) {
    return reader.apply(seen);
  }

  private List<Violation> judged(Function<Invariant, List<Violation>> judge) {
    List<Violation> found = new ArrayList<>();
    for (Invariant invariant : invariants) {
      found.addAll(judge.apply(invariant));
    }
    violations.addAll(found);
    return found;
  }
}
