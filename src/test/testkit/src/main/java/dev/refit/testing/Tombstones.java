package dev.refit.testing;

import io.fabric8.mockwebserver.crud.AttributeSet;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The objects deleted lately, with the store's resourceVersion at their deletion, so a watch that
 * starts from an older resourceVersion is told of them as a real API server's watch cache would
 * tell it. Without this, an informer whose watch was closed would keep an object deleted while it
 * re-watched, forever. The most recent {@value #KEPT} deletions are kept; callers hold the store's
 * lock.
 */
final class Tombstones {

  static final int KEPT = 10_000;

  private record Tombstone(AttributeSet key, String json, long version) {}

  private final Deque<Tombstone> recent = new ArrayDeque<>();

  void add(AttributeSet key, String json, long version) {
    recent.addLast(new Tombstone(key, json, version));
    if (recent.size() > KEPT) {
      recent.removeFirst();
    }
  }

  /**
   * The last state of each object matching {@code query} deleted since {@code version}: a delete
   * does not raise the store's version, so one recorded at the watcher's version came after what
   * the watcher saw. A deletion told twice is harmless: an informer ignores what it does not hold.
   */
  List<String> since(long version, AttributeSet query) {
    List<String> out = new ArrayList<>();
    if (version < 0) {
      return out;
    }
    for (Tombstone tombstone : recent) {
      if (tombstone.version() >= version && tombstone.key().matches(query)) {
        out.add(tombstone.json());
      }
    }
    return out;
  }

  /** The {@code resourceVersion} a watch request starts from, or -1 when it names none. */
  static long watchedVersion(String path) {
    String query;
    try {
      query = new URI(path).getRawQuery();
    } catch (URISyntaxException e) {
      return -1;
    }
    if (query == null) {
      return -1;
    }
    for (String parameter : query.split("&")) {
      if (parameter.startsWith("resourceVersion=")) {
        try {
          return Long.parseLong(parameter.substring("resourceVersion=".length()));
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }
}
