package dev.refit.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests the embedded API served, by Kubernetes verb (get, list, watch, create,
 * update, patch, delete) and by resource (plural, with the subresource: {@code pods/eviction}).
 */
public final class ApiRequestLog {

  private final Map<String, LongAdder> byVerb = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byResource = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byVerbAndResource = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byUserAgent = new ConcurrentHashMap<>();
  private final LongAdder total = new LongAdder();

  void record(ApiPath path) {
    record(path, null);
  }

  void record(ApiPath path, String userAgent) {
    byUserAgent
        .computeIfAbsent(userAgent == null ? "unknown" : userAgent, k -> new LongAdder())
        .increment();
    total.increment();
    byVerb.computeIfAbsent(path.verb(), k -> new LongAdder()).increment();
    byResource.computeIfAbsent(path.resource(), k -> new LongAdder()).increment();
    byVerbAndResource
        .computeIfAbsent(path.verb() + " " + path.resource(), k -> new LongAdder())
        .increment();
  }

  /** Requests by the client's User-Agent (the operator's, the agents', the harness's own). */
  public Map<String, Long> byUserAgent() {
    return snapshot(byUserAgent);
  }

  public long total() {
    return total.sum();
  }

  /** Requests by verb, sorted by verb. */
  public Map<String, Long> byVerb() {
    return snapshot(byVerb);
  }

  /** Requests by resource, sorted by resource. */
  public Map<String, Long> byResource() {
    return snapshot(byResource);
  }

  /**
   * How many requests had this verb on this resource, e.g. {@code ("patch",
   * "osupdatepolicies/status")}.
   */
  public long count(String verb, String resource) {
    LongAdder adder = byVerbAndResource.get(verb + " " + resource);
    return adder == null ? 0 : adder.sum();
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
    Map<String, Long> result = new TreeMap<>();
    counters.forEach((k, v) -> result.put(k, v.sum()));
    return result;
  }
}
