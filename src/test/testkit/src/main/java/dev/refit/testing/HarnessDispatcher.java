package dev.refit.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Fabric8's CRUD dispatcher plus what the embedded API needs on top of it: the Eviction API with
 * PodDisruptionBudget checks ({@link EvictionHandler}), pod field selectors ({@link
 * PodFieldSelectors}), JSON merge patches that replace arrays ({@link MergePatches}) and a record
 * of budget violations ({@link BudgetObserver}). Every request is counted in the {@link
 * ApiRequestLog}. Lookups, its own included, go through the store index of {@link
 * IndexedCrudDispatcher}.
 */
class HarnessDispatcher extends IndexedCrudDispatcher implements PodStore {

  private static final String PLURAL = KubernetesAttributesExtractor.PLURAL;
  private static final String NAMESPACE = KubernetesAttributesExtractor.NAMESPACE;

  private final ApiRequestLog log;
  private final ApiFaults faults = new ApiFaults(42);
  private final EvictionHandler evictions;
  private final BudgetObserver observer;
  // Evictions must decide and write atomically, and one at a time.
  private final ReentrantLock evictionLock = new ReentrantLock();

  HarnessDispatcher(ApiRequestLog log, DisruptionLog disruptions, Clock clock) {
    this.log = log;
    this.evictions = new EvictionHandler(this, disruptions, clock);
    this.observer = new BudgetObserver(this, disruptions, clock);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    ApiPath path = ApiPath.parse(request.getMethod(), request.getPath());
    String userAgent = request.getHeader("User-Agent");
    log.record(path, userAgent, WrittenFields.of(request));
    java.util.function.Predicate<HeldRequest> forbid = forbidden;
    if (forbid != null) {
      HeldRequest asked = heldRequest(request, path, userAgent);
      if (forbid.test(asked)) {
        return FaultAnswers.forbidden(asked);
      }
    }
    Hold held = holdIfAsked(request, path, userAgent);
    if (held != null) {
      return super.dispatch(request).setBodyDelay(held.delay());
    }
    Severed cut = severed;
    if (cut != null && path.isWatch() && cut.matches(userAgent, path)) {
      return FaultAnswers.answer(ApiFaults.Kind.SERVER_ERROR, path, faults);
    }
    if (faults.closeAWatch(userAgent)) {
      closeAWatchOf(userAgent);
    }
    ApiFaults.Kind fault =
        faults.fault(
            userAgent,
            FaultAnswers.key(request),
            path.name(),
            FaultAnswers.isWrite(request.getMethod()),
            path.isWatch(),
            path.isWatch() ? ApiFaults.watchedQuery(request.getPath()) : null);
    if (fault != null) {
      return FaultAnswers.answer(fault, path, faults);
    }
    return super.dispatch(request);
  }

  /**
   * The embedded API has no RBAC: every client may do everything, and says so when asked (leader
   * election checks its rights to Leases this way before it starts).
   */
  private static MockResponse everythingAllowed(String review) {
    GenericKubernetesResource answer =
        Serialization.unmarshal(review, GenericKubernetesResource.class);
    answer
        .getAdditionalProperties()
        .put(
            "status",
            Map.of(
                "resourceRules",
                List.of(
                    Map.of(
                        "verbs",
                        List.of("*"),
                        "apiGroups",
                        List.of("*"),
                        "resources",
                        List.of("*"))),
                "nonResourceRules",
                List.of(),
                "incomplete",
                false));
    return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(answer));
  }

  ApiFaults faults() {
    return faults;
  }

  /** A client's watches of one resource, cut off from the server. */
  private record Severed(String userAgent, String resource) {
    boolean matches(String agent, ApiPath path) {
      return agent != null && agent.contains(userAgent) && resource.equals(path.resource());
    }
  }

  private volatile Severed severed;

  /**
   * Closes the watches of the resource by clients whose User-Agent contains {@code userAgent}, and
   * answers their new ones with 503 until {@link #restoreWatches}: their informers keep the last
   * state they saw, while lists and gets still answer.
   */
  void severWatches(String userAgent, String resource) {
    Severed cut = new Severed(userAgent, resource);
    severed = cut;
    closeWatches(
        agent -> agent != null && agent.contains(userAgent),
        watchPath -> resource.equals(ApiPath.parse("GET", watchPath).resource()));
  }

  void restoreWatches() {
    severed = null;
  }

  /** A request to hold back once, what to do meanwhile, and for how long. */
  private record Hold(
      java.util.function.Predicate<HeldRequest> matches,
      Runnable meanwhile,
      java.time.Duration delay) {}

  private final java.util.concurrent.atomic.AtomicReference<Hold> hold =
      new java.util.concurrent.atomic.AtomicReference<>();

  void holdBack(
      java.util.function.Predicate<HeldRequest> matches,
      java.time.Duration delay,
      Runnable meanwhile) {
    hold.set(new Hold(matches, meanwhile, delay));
  }

  /**
   * The hold asked for, if the request is the one: it has begun (what was asked to happen meanwhile
   * is under way, on a thread of its own), and the answer must wait its delay.
   */
  private Hold holdIfAsked(RecordedRequest request, ApiPath path, String userAgent) {
    Hold armed = hold.get();
    if (armed == null) {
      return null;
    }
    HeldRequest held = heldRequest(request, path, userAgent);
    if (!armed.matches().test(held) || !hold.compareAndSet(armed, null)) {
      return null;
    }
    Thread meanwhile = new Thread(armed.meanwhile(), "held-request");
    meanwhile.setDaemon(true);
    meanwhile.start();
    return armed;
  }

  private static HeldRequest heldRequest(RecordedRequest request, ApiPath path, String userAgent) {
    String body =
        request.getBody() == null
            ? ""
            : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
    return new HeldRequest(userAgent, request.getMethod(), path.resource(), path.name(), body);
  }

  private volatile java.util.function.Predicate<HeldRequest> forbidden;

  /** Answers the requests that match with 403 Forbidden until {@code forbid(null)}. */
  void forbid(java.util.function.Predicate<HeldRequest> matches) {
    forbidden = matches;
  }

  /** Closes one open watch of this client, chosen at random, as a server restart would. */
  private void closeAWatchOf(String userAgent) {
    String closed = closeOneWatch(userAgent::equals, faults::pick);
    if (closed != null) {
      faults.watchClosed(userAgent, ApiFaults.watchedQuery(closed));
    }
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    ApiPath path = ApiPath.parse(request.getMethod(), request.getPath());
    if (request.getPath().startsWith("/api/")
        && "pods".equals(path.plural())
        && "eviction".equals(path.subresource())
        && path.namespace() != null) {
      return evictions.evict(path.namespace(), path.name(), request.getUtf8Body());
    }
    if ("selfsubjectrulesreviews".equals(path.plural())) {
      return everythingAllowed(request.getUtf8Body());
    }
    return super.handleCreate(request);
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    if (!MergePatches.isMergePatch(request)) {
      return super.handlePatch(request);
    }
    return exclusively(
        () -> {
          Map.Entry<AttributeSet, String> current = findResource(getKey(request.getPath()));
          if (current == null) {
            return new MockResponse().setResponseCode(404);
          }
          RecordedRequest update = MergePatches.asUpdate(request, current.getValue());
          return update == null
              ? new MockResponse().setResponseCode(422).setBody("{\"message\":\"invalid JSON\"}")
              : handleUpdate(update);
        });
  }

  @Override
  public MockResponse handleGet(String path) {
    return super.handleGet(rewriteIfPods(path));
  }

  @Override
  public MockResponse handleDelete(String path) {
    return super.handleDelete(rewriteIfPods(path));
  }

  private static String rewriteIfPods(String path) {
    if (!path.contains("fieldSelector") || !path.startsWith("/api/")) {
      return path;
    }
    ApiPath parsed = ApiPath.parse("GET", path);
    return "pods".equals(parsed.plural()) && parsed.name() == null
        ? PodFieldSelectors.rewrite(path)
        : path;
  }

  /** Every write of the store passes here, with the store's write lock held. */
  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    if (!isCorePod(pathAttributes)) {
      if (isCore(pathAttributes, "nodes")) {
        observer.nodeWritten(nameOf(oldAttributes, newState), newState == null);
      }
      super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
      return;
    }
    observer.beforeWrite(oldAttributes == null ? null : map.get(oldAttributes), newState);
    writePod(path, pathAttributes, oldAttributes, newState);
  }

  private void writePod(String path, AttributeSet pathAttributes, AttributeSet old, String json) {
    if (json == null) {
      super.processEvent(path, pathAttributes, old, null, null);
      return;
    }
    GenericKubernetesResource keyed = PodFieldSelectors.keyedCopy(json);
    // Key the pod by its own path: the superclass merges the request's attributes into the key,
    // and those of a deletecollection carry its selector.
    String own = podPath(keyed.getMetadata().getNamespace(), keyed.getMetadata().getName());
    super.processEvent(path, getKey(own), old, keyed, json);
  }

  private static boolean isCorePod(AttributeSet attributes) {
    return isCore(attributes, "pods");
  }

  private static boolean isCore(AttributeSet attributes, String resource) {
    Attribute plural = attributes.getAttribute(PLURAL);
    return plural != null
        && resource.equals(plural.getValues().get(0).toString())
        && !attributes.containsKey(KubernetesAttributesExtractor.API);
  }

  /** The name of the object a write creates, changes or removes. */
  private static String nameOf(AttributeSet old, String newState) {
    Attribute name = old == null ? null : old.getAttribute(KubernetesAttributesExtractor.NAME);
    if (name != null) {
      return name.getValues().get(0).toString();
    }
    return newState == null
        ? null
        : Serialization.unmarshal(newState, GenericKubernetesResource.class)
            .getMetadata()
            .getName();
  }

  // PodStore: callers hold the store's write lock (exclusively) or are inside processEvent.

  @Override
  public <T> T exclusively(Supplier<T> action) {
    evictionLock.lock();
    try {
      return withStoreWriteLock(action);
    } finally {
      evictionLock.unlock();
    }
  }

  @Override
  public StoredPod pod(String namespace, String name) {
    AttributeSet query =
        podsIn(namespace).add(new Attribute(KubernetesAttributesExtractor.NAME, name));
    for (Map.Entry<AttributeSet, String> entry : entries(query)) {
      return new StoredPod(entry.getKey(), Serialization.unmarshal(entry.getValue(), Pod.class));
    }
    return null;
  }

  @Override
  public List<Pod> pods(String namespace, LabelSelector selector) {
    if (selector == null) {
      return List.of();
    }
    AttributeSet query = podsIn(namespace);
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> label : selector.getMatchLabels().entrySet()) {
        query = query.add(new Attribute("labels:" + label.getKey(), label.getValue()));
      }
    }
    return entries(query).stream()
        .map(e -> Serialization.unmarshal(e.getValue(), Pod.class))
        .toList();
  }

  @Override
  public List<PodDisruptionBudget> budgets(String namespace) {
    AttributeSet query =
        new AttributeSet(
            new Attribute(PLURAL, "poddisruptionbudgets"),
            new Attribute(KubernetesAttributesExtractor.API, "policy"),
            new Attribute(NAMESPACE, namespace));
    return entries(query).stream()
        .map(e -> Serialization.unmarshal(e.getValue(), PodDisruptionBudget.class))
        .toList();
  }

  @Override
  public Integer controllerScale(String namespace, OwnerReference controller) {
    GenericKubernetesResource owner = find(namespace, controller);
    if (owner == null) {
      return null;
    }
    OwnerReference deployment = PdbOracle.controllerOf(owner);
    if ("ReplicaSet".equals(controller.getKind())
        && deployment != null
        && "Deployment".equals(deployment.getKind())) {
      Integer scale = controllerScale(namespace, deployment);
      if (scale != null) {
        return scale;
      }
    }
    Object replicas = owner.get("spec", "replicas");
    return replicas instanceof Number number ? number.intValue() : 1;
  }

  private GenericKubernetesResource find(String namespace, OwnerReference reference) {
    String[] apiAndPlural =
        switch (reference.getKind()) {
          case "ReplicaSet" -> new String[] {"apps", "replicasets"};
          case "Deployment" -> new String[] {"apps", "deployments"};
          case "StatefulSet" -> new String[] {"apps", "statefulsets"};
          case "ReplicationController" -> new String[] {null, "replicationcontrollers"};
          default -> null;
        };
    if (apiAndPlural == null) {
      return null;
    }
    AttributeSet query =
        new AttributeSet(
            new Attribute(PLURAL, apiAndPlural[1]),
            new Attribute(NAMESPACE, namespace),
            new Attribute(KubernetesAttributesExtractor.NAME, reference.getName()),
            apiAndPlural[0] == null
                ? new Attribute(KubernetesAttributesExtractor.API, "", AttributeType.NOT_EXISTS)
                : new Attribute(KubernetesAttributesExtractor.API, apiAndPlural[0]));
    return entries(query).stream()
        .map(e -> Serialization.unmarshal(e.getValue(), GenericKubernetesResource.class))
        .filter(
            o -> reference.getUid() == null || reference.getUid().equals(o.getMetadata().getUid()))
        .findFirst()
        .orElse(null);
  }

  @Override
  public void replace(StoredPod stored, Pod updated) {
    String path = podPath(updated);
    writePod(path, getKey(path), (AttributeSet) stored.key(), Serialization.asJson(updated));
  }

  @Override
  public void remove(StoredPod stored) {
    String path = podPath(stored.pod());
    writePod(path, getKey(path), (AttributeSet) stored.key(), null);
  }

  @Override
  public long nextResourceVersion() {
    return requestResourceVersion();
  }

  private static AttributeSet podsIn(String namespace) {
    return new AttributeSet(
        new Attribute(PLURAL, "pods"),
        new Attribute(NAMESPACE, namespace),
        new Attribute(KubernetesAttributesExtractor.API, "", AttributeType.NOT_EXISTS));
  }

  private static String podPath(Pod pod) {
    return podPath(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
  }

  private static String podPath(String namespace, String name) {
    return "/api/v1/namespaces/" + namespace + "/pods/" + name;
  }
}
