package dev.refit.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this operator wrote last, by object name, so a round never plans from an informer cache that
 * has not caught up with the previous round's writes. Of the cached object and the written one, the
 * newer (by resourceVersion, which the API server increases on every write) wins; once the cache
 * holds the written version or a later one, the written copy is dropped. What the operator last
 * listed from the server counts too: an object the cache still holds but that list did not contain,
 * though the list is newer than the cached copy, was deleted meanwhile and is not seen.
 */
final class FreshReads<T extends HasMetadata> {

  private final Map<String, T> written = new ConcurrentHashMap<>();

  /** The names in the operator's last list from the server, and that list's resourceVersion. */
  private volatile Listed lastList;

  private record Listed(Set<String> names, long resourceVersion) {}

  /**
   * Keeps a list read from the server: its objects as written ones, and its names, so an object the
   * cache has at an older version than the list, and the list lacks, counts as deleted.
   */
  void listed(List<T> objects, String listResourceVersion) {
    objects.forEach(this::wrote);
    Long version = version(listResourceVersion);
    if (version != null) {
      Set<String> names = new HashSet<>();
      objects.forEach(o -> names.add(o.getMetadata().getName()));
      lastList = new Listed(Set.copyOf(names), version);
    }
  }

  /**
   * Whether the object, as cached, was deleted on the server since: the last list, newer than the
   * cached copy, did not contain it.
   */
  boolean goneFromServer(T cached) {
    Listed list = lastList;
    if (list == null || list.names().contains(cached.getMetadata().getName())) {
      return false;
    }
    Long version = version(cached.getMetadata().getResourceVersion());
    return version != null && version <= list.resourceVersion();
  }

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

  private static Long version(String resourceVersion) {
    try {
      return resourceVersion == null ? null : Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      return null;
    }
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
