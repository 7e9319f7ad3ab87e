package dev.refit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Counts the requests the embedded API served, by Kubernetes verb (get, list, watch, create,
 * update, patch, delete) and by resource (plural, with the subresource: {@code pods/eviction}), and
 * keeps the distinct {@link ApiCall}s each client made.
 */
public final class ApiRequestLog {

  /**
   * System property naming a directory: when set, every embedded API writes the calls it served to
   * a file there when it closes (the build sets it to {@code target/api-calls}).
   */
  public static final String CALLS_DIR_PROPERTY = "embeddedApi.callsDir";

  private final Map<String, LongAdder> byVerb = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byResource = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byVerbAndResource = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byUserAgent = new ConcurrentHashMap<>();
  private final LongAdder total = new LongAdder();
  private final Set<ApiCall> calls = ConcurrentHashMap.newKeySet();

  void record(ApiPath path, String userAgent, String fields) {
    if (path.isResource()) {
      calls.add(
          new ApiCall(
              userAgent == null ? "unknown" : userAgent,
              path.verb(),
              path.group(),
              path.resource(),
              path.namespace() == null ? "" : path.namespace(),
              fields));
    }
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

  /** The distinct calls served so far, by every client. */
  public Set<ApiCall> calls() {
    return Set.copyOf(calls);
  }

  /**
   * Writes the calls to a new file in the directory named by {@link #CALLS_DIR_PROPERTY}, if set.
   */
  void writeCallsIfAsked() {
    String dir = System.getProperty(CALLS_DIR_PROPERTY);
    if (dir == null || dir.isBlank() || calls.isEmpty()) {
      return;
    }
    try {
      Path directory = Files.createDirectories(Path.of(dir));
      String lines =
          calls.stream().map(ApiCall::line).sorted().collect(Collectors.joining("\n", "", "\n"));
      Files.writeString(directory.resolve("calls-" + UUID.randomUUID() + ".tsv"), lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the API calls in " + dir, e);
    }
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
    Map<String, Long> result = new TreeMap<>();
    counters.forEach((k, v) -> result.put(k, v.sum()));
    return result;
  }
}
