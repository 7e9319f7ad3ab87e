package dev.refit.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import java.lang.reflect.Field;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Fabric8's CRUD dispatcher, with its lookups served from a {@link StoreIndex} instead of a scan of
 * the whole store. The stock dispatcher compares every stored key with the query on each get,
 * create, update, patch and delete: at fleet scale (35,000 objects for 5,000 nodes) that made every
 * request cost milliseconds on the server's single event-loop thread.
 *
 * <p>What changes is only how candidates are found: every answer (items, their order, status codes,
 * list resourceVersion, deletion with finalizers) is the stock one. The store map stays the source
 * of truth and the superclass still performs every write and notifies watchers; the index follows
 * each write in {@link #processEvent}. Watches are the stock ones too ({@link StockWatches}); only
 * the objects a new watch is first sent come from the index.
 *
 * <p>Run with {@code -Drefit.harness.verifyIndex=true} (the harness's own tests do) and every
 * lookup is also answered by a full scan and compared, in order.
 */
class IndexedCrudDispatcher extends KubernetesCrudDispatcher {

  private static final boolean VERIFY = Boolean.getBoolean("refit.harness.verifyIndex");
  private static final System.Logger LOG = System.getLogger(IndexedCrudDispatcher.class.getName());

  /** Paths the superclass may answer with API discovery when nothing is stored under them. */
  private static final Pattern API_DISCOVERY =
      Pattern.compile("/apis(/([a-zA-Z0-9-_.]+))?(/([a-zA-Z0-9-_]+))");

  private final StoreIndex index = new StoreIndex();
  private final KubernetesAttributesExtractor extractor;
  private final KubernetesResponseComposer composer;
  // The superclass keeps these private; reads must share its lock and lists report its version.
  private final ReadWriteLock lock;
  private final AtomicLong resourceVersion;
  private final StockWatches watches;
  private final Tombstones tombstones = new Tombstones();
  private final ServerTimes serverTimes = new ServerTimes(java.time.Clock.systemUTC());

  IndexedCrudDispatcher() {
    super(List.of());
    this.extractor = (KubernetesAttributesExtractor) attributeExtractor;
    this.composer = (KubernetesResponseComposer) responseComposer;
    this.lock = (ReadWriteLock) stockField(this, "lock");
    this.resourceVersion = (AtomicLong) stockField(this, "resourceVersion");
    this.watches = new StockWatches(this, context);
  }

  /** Every resourceVersion is handed out here: the moment it was is kept ({@link ServerTimes}). */
  @Override
  public long requestResourceVersion() {
    long handedOut = super.requestResourceVersion();
    if (serverTimes != null) { // null only while the superclass is being constructed
      serverTimes.wrote(handedOut);
    }
    return handedOut;
  }

  /** When each recent resourceVersion was written. */
  ServerTimes serverTimes() {
    return serverTimes;
  }

  /**
   * Closes one of the open watches whose client's User-Agent passes the test, picked by {@code
   * pick} (given how many there are); returns the path of the watch closed, or null.
   */
  int closeWatches(
      java.util.function.Predicate<String> userAgent, java.util.function.Predicate<String> path) {
    return watches.closeAll(userAgent, path);
  }

  String closeOneWatch(
      java.util.function.Predicate<String> userAgent, java.util.function.IntUnaryOperator pick) {
    return watches.closeOne(userAgent, pick);
  }

  /** Runs {@code action} with the store's write lock: no request can read or write meanwhile. */
  <T> T withStoreWriteLock(Supplier<T> action) {
    return locked(lock.writeLock(), action);
  }

  /** Stored entries matching {@code query}, in store order. Callers hold the store lock. */
  List<Map.Entry<AttributeSet, String>> entries(AttributeSet query) {
    List<Map.Entry<AttributeSet, String>> result = new ArrayList<>();
    for (AttributeSet key : matching(query, false)) {
      result.add(new AbstractMap.SimpleImmutableEntry<>(key, map.get(key)));
    }
    return result;
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    List<AttributeSet> keys = matching(query, true);
    return keys.isEmpty()
        ? null
        : new AbstractMap.SimpleImmutableEntry<>(keys.get(0), map.get(keys.get(0)));
  }

  @Override
  public MockResponse handleGet(String path) {
    if (isWatch(path)) {
      return locked(lock.readLock(), () -> watch(path));
    }
    if (API_DISCOVERY.matcher(path).matches()) {
      return super.handleGet(path); // may be API discovery, which only the superclass knows
    }
    return locked(lock.readLock(), () -> respond(path, false));
  }

  /**
   * The stock watch: same query, listener and events; first a DELETED event for every object
   * deleted since the watch's {@code resourceVersion}, then ADDED events from the index.
   */
  private MockResponse watch(String path) {
    AttributeSet parsed = attributeExtractor.fromPath(path);
    String name = watchedName(path);
    AttributeSet query =
        name == null ? parsed : parsed.add(new Attribute(KubernetesAttributesExtractor.NAME, name));
    return new MockResponse()
        .withWebSocketUpgrade(
            watches.open(
                query,
                watch ->
                    locked(
                        lock.readLock(),
                        () -> {
                          // as a real server replays a watch from its resourceVersion, deletions
                          // since then included (the objects themselves are sent as ADDED)
                          long since = Tombstones.watchedVersion(path);
                          tombstones.since(since, query).forEach(watch::deleted);
                          for (AttributeSet key : matching(query, false)) {
                            watch.added(map.get(key));
                          }
                          return null;
                        })));
  }

  /** As the superclass reads a watch's {@code metadata.name} field selector (value unparsed). */
  private static String watchedName(String path) {
    String query;
    try {
      query = new URI(path).getQuery();
    } catch (URISyntaxException e) {
      return null;
    }
    if (query == null || query.isEmpty()) {
      return null;
    }
    String name = "";
    for (String parameter : query.split("&")) {
      if (parameter.contains("fieldSelector") && parameter.contains("metadata.name")) {
        String[] parts = parameter.split("=");
        name = parts[parts.length - 1];
      }
    }
    return name.isEmpty() ? null : name;
  }

  /** As the superclass tells a watch from a get. */
  private static boolean isWatch(String path) {
    try {
      String query = new URI(path).getQuery();
      return query != null && query.contains("watch=true");
    } catch (URISyntaxException e) {
      return false;
    }
  }

  @Override
  public MockResponse handleDelete(String path) {
    return locked(lock.writeLock(), () -> respond(path, true));
  }

  /** The stock get/delete: all matching objects, or the first for a path with a name. */
  private MockResponse respond(String path, boolean delete) {
    AttributeSet query = attributeExtractor.fromPath(path);
    List<String> items = new ArrayList<>();
    for (AttributeSet key : matching(query, false)) {
      items.add(map.get(key));
      if (delete) {
        delete(path, query, key);
      }
    }
    MockResponse response = new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK);
    if (query.containsKey(KubernetesAttributesExtractor.NAME)) {
      return items.isEmpty()
          ? response.setResponseCode(HttpURLConnection.HTTP_NOT_FOUND)
          : response.setBody(items.get(0));
    }
    return response.setBody(composer.compose(items, String.valueOf(resourceVersion.get())));
  }

  /** As the superclass deletes: at once without finalizers, else by marking for deletion. */
  private void delete(String path, AttributeSet query, AttributeSet key) {
    GenericKubernetesResource resource =
        Serialization.unmarshal(map.get(key), GenericKubernetesResource.class);
    if (resource.getFinalizers().isEmpty()) {
      processEvent(path, query, key, null, null);
    } else if (!resource.isMarkedForDeletion()) {
      resource
          .getMetadata()
          .setDeletionTimestamp(
              ZonedDateTime.now(ZoneOffset.UTC)
                  .truncatedTo(ChronoUnit.SECONDS)
                  .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      resource.getMetadata().setResourceVersion(String.valueOf(requestResourceVersion()));
      processEvent(path, query, key, resource, Serialization.asJson(resource));
    }
  }

  /** Every write of the store passes here, with its write lock held. */
  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    // Derive the new key exactly as the superclass will, from the same parsed object (parsed once
    // here when the caller passed none, which the superclass would otherwise do itself).
    GenericKubernetesResource parsed = resource;
    AttributeSet newKey = null;
    if (newState != null) {
      if (parsed == null && !newState.isEmpty()) {
        parsed = Serialization.unmarshal(newState, GenericKubernetesResource.class);
      }
      newKey = parsed != null ? extractor.extract(parsed) : extractor.fromResource(newState);
      if (!newKey.containsKey(KubernetesAttributesExtractor.PLURAL)) {
        newKey = AttributeSet.merge(pathAttributes, newKey);
      }
    }
    String deleted = newState == null && oldAttributes != null ? map.get(oldAttributes) : null;
    try {
      super.processEvent(path, pathAttributes, oldAttributes, parsed, newState);
      if (deleted != null) {
        tombstones.add(oldAttributes, deleted, resourceVersion.get());
      }
    } finally {
      index.remove(oldAttributes); // the superclass removes it first, whatever follows
      if (newKey != null && map.containsKey(newKey)) {
        index.add(newKey);
      }
    }
    if (newKey != null && !map.containsKey(newKey)) {
      indexDrifted("the store keyed a write differently: " + newKey);
    }
  }

  @Override
  public void reset() {
    locked(
        lock.writeLock(),
        () -> {
          super.reset();
          index.clear();
          return null;
        });
  }

  /** The keys matching {@code query} in store order (only the first if {@code first}). */
  private List<AttributeSet> matching(AttributeSet query, boolean first) {
    List<AttributeSet> candidates = index.candidates(query);
    List<AttributeSet> result = new ArrayList<>();
    for (AttributeSet key : candidates == null ? new ArrayList<>(map.keySet()) : candidates) {
      if (key.matches(query)) {
        result.add(key);
        if (first) {
          break;
        }
      }
    }
    if (VERIFY) {
      verify(query, first, result);
    }
    return result;
  }

  private void verify(AttributeSet query, boolean first, List<AttributeSet> indexed) {
    List<AttributeSet> scanned = new ArrayList<>();
    for (AttributeSet key : map.keySet()) {
      if (key.matches(query) && (!first || scanned.isEmpty())) {
        scanned.add(key);
      }
    }
    if (!scanned.equals(indexed) || index.size() != map.size()) {
      throw new IllegalStateException(
          "store index answered " + indexed + " where a scan answers " + scanned + " for " + query);
    }
  }

  /** Never expected; rebuilds so answers stay right (slowly), and fails tests that verify. */
  private void indexDrifted(String why) {
    if (VERIFY) {
      throw new IllegalStateException(why);
    }
    LOG.log(System.Logger.Level.WARNING, "Rebuilding the store index: {0}", why);
    index.clear();
    map.keySet().forEach(index::add);
  }

  private static <T> T locked(Lock lock, Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A private field of the stock dispatcher (static if {@code owner} is null). Fabric8 7.3.1 is
   * pinned in the parent POM; a change there fails when the API starts, not silently.
   */
  static Object stockField(KubernetesCrudDispatcher owner, String name) {
    try {
      Field field = KubernetesCrudDispatcher.class.getDeclaredField(name);
      field.setAccessible(true);
      return field.get(owner);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Fabric8's CRUD dispatcher changed: no field " + name, e);
    }
  }
}
