package dev.refit.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this operator wrote last, by object name, so a round never plans from an informer cache that
 * has not caught up with the previous round's writes. Of the cached object and the written one, the
 * newer (by resourceVersion, which the API server increases on every write) wins; once the cache
 * holds the written version or a later one, the written copy is dropped.
 */
final class FreshReads<T extends HasMetadata> {

  private final Map<String, T> written = new ConcurrentHashMap<>();

  void wrote(T object) {
    if (object != null) {
      written.put(object.getMetadata().getName(), object);
    }
  }

  void deleted(String name) {
    written.remove(name);
  }

  /** The fresher of the cached object and what was written last under its name. */
  T fresher(String name, T cached) {
    T mine = written.get(name);
    if (mine == null) {
      return cached;
    }
    if (cached != null && !older(cached, mine)) {
      written.remove(name, mine);
      return cached;
    }
    return mine;
  }

  /** Whether {@code a} is older than {@code b}; unknown (non-numeric) versions trust the cache. */
  private static boolean older(HasMetadata a, HasMetadata b) {
    try {
      return Long.parseLong(a.getMetadata().getResourceVersion())
          < Long.parseLong(b.getMetadata().getResourceVersion());
    } catch (NumberFormatException | NullPointerException e) {
      return false;
    }
  }
}
