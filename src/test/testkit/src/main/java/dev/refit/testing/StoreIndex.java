package dev.refit.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.Key;
import io.fabric8.mockwebserver.crud.Value;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The keys of the mock server's store, grouped by the attributes queries select on: plural, name,
 * namespace, each label, and plural with namespace. A query that requires one of those attributes
 * can only match keys of that group, so its smallest group is the whole set of candidates; the
 * store then checks each candidate with the stock {@link AttributeSet#matches} and the answer is
 * the stock one.
 *
 * <p>A value of {@code *} equals every value in the mock server's attribute model; an attribute key
 * that holds one anywhere in the store (or in the query) is therefore not used to narrow.
 *
 * <p>Each group keeps its keys in the order the store's {@code LinkedHashMap} does (a write removes
 * the old key and appends the new one; writing a key that is already present keeps its place), so
 * "the first match", which is what a GET or PUT by name answers, is the same too.
 *
 * <p>Not thread-safe: the dispatcher changes it under the store's write lock and reads it under the
 * read or write lock.
 */
final class StoreIndex {

  private static final String PLURAL = KubernetesAttributesExtractor.PLURAL;
  private static final String NAMESPACE = KubernetesAttributesExtractor.NAMESPACE;
  private static final Key PLURAL_KEY = new Key(PLURAL);
  private static final Key NAMESPACE_KEY = new Key(NAMESPACE);

  /**
   * AttributeSet offers no way to list its attributes, and labels are open-ended; read its field.
   * Fabric8 7.3.1 is pinned in the parent POM; a rename fails here, at class load, not silently.
   */
  private static final Field ATTRIBUTES = attributesField();

  /** A key plus identity: groups hash slots by identity instead of rehashing every attribute. */
  private static final class Slot {
    final AttributeSet key;

    Slot(AttributeSet key) {
      this.key = key;
    }
  }

  /** The group of keys with both this plural and this namespace (lists of one kind in one ns). */
  private record PluralInNamespace(Attribute plural, Attribute namespace) {}

  private final Map<AttributeSet, Slot> slots = new HashMap<>();
  private final Map<Object, LinkedHashSet<Slot>> groups = new HashMap<>();

  /** How many stored keys hold a {@code *} value under each grouped attribute key. */
  private final Map<Key, Integer> wildcards = new HashMap<>();

  /** Mirrors {@code map.put(key, ...)}: a new key goes last; a present one keeps its place. */
  void add(AttributeSet key) {
    if (slots.containsKey(key)) {
      return;
    }
    Slot slot = new Slot(key);
    slots.put(key, slot);
    for (Object group : groupsOf(key)) {
      groups.computeIfAbsent(group, g -> new LinkedHashSet<>()).add(slot);
    }
    countWildcards(key, 1);
  }

  /** Mirrors {@code map.remove(key)}. */
  void remove(AttributeSet key) {
    Slot slot = key == null ? null : slots.remove(key);
    if (slot == null) {
      return;
    }
    for (Object group : groupsOf(key)) {
      LinkedHashSet<Slot> members = groups.get(group);
      members.remove(slot);
      if (members.isEmpty()) {
        groups.remove(group);
      }
    }
    countWildcards(key, -1);
  }

  void clear() {
    slots.clear();
    groups.clear();
    wildcards.clear();
  }

  int size() {
    return slots.size();
  }

  /**
   * The keys that can match {@code query}, in store order, or null when the query requires none of
   * the grouped attributes (then only a full scan answers it).
   */
  List<AttributeSet> candidates(AttributeSet query) {
    Collection<Slot> smallest = null;
    for (Object group : requiredGroups(query)) {
      Collection<Slot> members = groups.get(group);
      if (members == null) {
        return List.of(); // no stored key has this required attribute
      }
      if (smallest == null || members.size() < smallest.size()) {
        smallest = members;
      }
    }
    if (smallest == null) {
      return null;
    }
    List<AttributeSet> keys = new ArrayList<>(smallest.size());
    for (Slot slot : smallest) {
      keys.add(slot.key);
    }
    return keys;
  }

  /** The groups a stored key belongs to. */
  private static List<Object> groupsOf(AttributeSet key) {
    List<Object> result = new ArrayList<>();
    for (Attribute attribute : attributes(key)) {
      if (isGrouped(attribute.getKey())) {
        result.add(attribute);
      }
    }
    addPluralInNamespace(key, result);
    return result;
  }

  /**
   * Groups that hold every key matching the query. Only plain equality requirements count: a stored
   * key satisfies one exactly when it holds an equal attribute (equality ignores the type), and
   * without wildcards equal attributes are the ones a group collects.
   */
  private List<Object> requiredGroups(AttributeSet query) {
    List<Object> result = new ArrayList<>();
    for (Attribute attribute : attributes(query)) {
      if (isGrouped(attribute.getKey()) && narrows(attribute)) {
        result.add(attribute);
      }
    }
    Attribute plural = query.getAttribute(PLURAL);
    Attribute namespace = query.getAttribute(NAMESPACE);
    if (plural != null && namespace != null && narrows(plural) && narrows(namespace)) {
      addPluralInNamespace(query, result);
    }
    return result;
  }

  private boolean narrows(Attribute required) {
    return required.getType() == AttributeType.WITH
        && !hasWildcard(required)
        && !wildcards.containsKey(required.getKey());
  }

  private void countWildcards(AttributeSet key, int delta) {
    for (Attribute attribute : attributes(key)) {
      if (isGrouped(attribute.getKey()) && hasWildcard(attribute)) {
        wildcards.merge(attribute.getKey(), delta, (a, b) -> a + b == 0 ? null : a + b);
      }
    }
  }

  private static boolean hasWildcard(Attribute attribute) {
    for (Value value : attribute.getValues()) {
      if ("*".equals(value.toString())) {
        return true;
      }
    }
    return false;
  }

  private static void addPluralInNamespace(AttributeSet key, List<Object> result) {
    Attribute plural = key.getAttribute(PLURAL);
    Attribute namespace = key.getAttribute(NAMESPACE);
    if (plural != null && namespace != null) {
      // Normalized to WITH so the record's equality is the attributes' (which ignores the type).
      result.add(
          new PluralInNamespace(
              new Attribute(PLURAL_KEY, plural.getValues(), AttributeType.WITH),
              new Attribute(NAMESPACE_KEY, namespace.getValues(), AttributeType.WITH)));
    }
  }

  private static boolean isGrouped(Key key) {
    String name = key.toString();
    return name.equals(PLURAL)
        || name.equals(NAMESPACE)
        || name.equals(KubernetesAttributesExtractor.NAME)
        || name.startsWith("labels:");
  }

  @SuppressWarnings("unchecked")
  private static Collection<Attribute> attributes(AttributeSet set) {
    try {
      return ((Map<Key, Attribute>) ATTRIBUTES.get(set)).values();
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Field attributesField() {
    try {
      Field field = AttributeSet.class.getDeclaredField("attributes");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
