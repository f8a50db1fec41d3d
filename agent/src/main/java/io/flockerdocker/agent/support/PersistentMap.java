package io.flockerdocker.agent.support;

import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Optional;
import scala.Tuple2;
import scala.collection.immutable.HashMap;
import scala.collection.immutable.HashMap$;
import scala.collection.immutable.Map;
import scala.collection.immutable.TreeMap;
import scala.collection.immutable.TreeMap$;
import scala.collection.mutable.ReusableBuilder;
import scala.jdk.javaapi.CollectionConverters;
import scala.math.Ordering$;

/**
 * An immutable map whose {@link #with} and {@link #without} cost O(log n) and share structure with
 * the original: Scala's CHAMP {@code HashMap} ({@link #hashed}) or red-black {@code TreeMap}
 * ({@link #sorted}, iterated in key order), both already on the classpath through Pekko. A reader
 * keeps a consistent snapshot for as long as it holds one, and a change of one entry in 100,000
 * allocates a few dozen nodes instead of copying them all.
 */
public final class PersistentMap<K, V> {
  private static final PersistentMap<?, ?> HASHED = new PersistentMap<>(new HashMap<>());

  private final Map<K, V> map;

  private PersistentMap(Map<K, V> map) {
    this.map = map;
  }

  /** An empty map in no particular order. */
  @SuppressWarnings("unchecked")
  public static <K, V> PersistentMap<K, V> hashed() {
    return (PersistentMap<K, V>) HASHED;
  }

  /** An empty map iterated in its keys' natural order. */
  public static <K extends Comparable<K>, V> PersistentMap<K, V> sorted() {
    return new PersistentMap<>(
        TreeMap$.MODULE$.empty(Ordering$.MODULE$.comparatorToOrdering(Comparator.<K>naturalOrder())));
  }

  /** A map of all {@code entries} at once: faster than one {@link #with} per entry. */
  public static <K, V> PersistentMap<K, V> hashedOf(java.util.Map<K, V> entries) {
    ReusableBuilder<Tuple2<K, V>, HashMap<K, V>> b = HashMap$.MODULE$.newBuilder();
    entries.forEach((k, v) -> b.addOne(new Tuple2<>(k, v)));
    return new PersistentMap<>(b.result());
  }

  /** {@link #sorted}, of all {@code entries} at once. */
  public static <K extends Comparable<K>, V> PersistentMap<K, V> sortedOf(
      java.util.Map<K, V> entries) {
    ReusableBuilder<Tuple2<K, V>, TreeMap<K, V>> b = TreeMap$.MODULE$.newBuilder(
        Ordering$.MODULE$.comparatorToOrdering(Comparator.<K>naturalOrder()));
    entries.forEach((k, v) -> b.addOne(new Tuple2<>(k, v)));
    return new PersistentMap<>(b.result());
  }

  public V get(K key) {
    scala.Option<V> v = map.get(key);
    return v.isDefined() ? v.get() : null;
  }

  public Optional<V> find(K key) {
    return Optional.ofNullable(get(key));
  }

  public boolean containsKey(K key) {
    return map.contains(key);
  }

  /** This same map when {@code key} already has an equal value: a no-op keeps its identity. */
  public PersistentMap<K, V> with(K key, V value) {
    return value.equals(get(key)) ? this : new PersistentMap<>(map.updated(key, value));
  }

  public PersistentMap<K, V> without(K key) {
    return map.contains(key) ? new PersistentMap<>(map.removed(key)) : this;
  }

  /** {@code value} null: {@link #without}. */
  public PersistentMap<K, V> withOrWithout(K key, V value) {
    return value == null ? without(key) : with(key, value);
  }

  public int size() {
    return map.size();
  }

  /** The values, as a read-only view (in key order for a sorted map); O(1) to make. */
  public Collection<V> values() {
    return new AbstractCollection<>() {
      @Override
      public Iterator<V> iterator() {
        return CollectionConverters.asJava(map.valuesIterator());
      }

      @Override
      public int size() {
        return map.size();
      }
    };
  }
}
