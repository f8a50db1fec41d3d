package io.flockerdocker.control;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import scala.collection.immutable.HashMap;
import scala.jdk.javaapi.CollectionConverters;

/**
 * An immutable map whose {@link #with} and {@link #without} cost O(log n) and share structure
 * with the original (Scala's CHAMP {@code HashMap}, already on the classpath through Pekko): the
 * single writer publishes a new configuration per commit without copying 100k entries, and
 * readers keep a consistent snapshot for as long as they hold it. Iteration order is undefined.
 */
final class PersistentMap<K, V> implements Iterable<V> {
  private static final PersistentMap<?, ?> EMPTY = new PersistentMap<>(new HashMap<>());

  private final HashMap<K, V> map;

  private PersistentMap(HashMap<K, V> map) {
    this.map = map;
  }

  @SuppressWarnings("unchecked")
  static <K, V> PersistentMap<K, V> empty() {
    return (PersistentMap<K, V>) EMPTY;
  }

  V get(K key) {
    scala.Option<V> v = map.get(key);
    return v.isDefined() ? v.get() : null;
  }

  boolean containsKey(K key) {
    return map.contains(key);
  }

  PersistentMap<K, V> with(K key, V value) {
    return new PersistentMap<>(map.updated(key, value));
  }

  PersistentMap<K, V> without(K key) {
    return map.contains(key) ? new PersistentMap<>(map.removed(key)) : this;
  }

  int size() {
    return map.size();
  }

  boolean isEmpty() {
    return map.isEmpty();
  }

  @Override
  public Iterator<V> iterator() {
    return CollectionConverters.asJava(map.valuesIterator());
  }

  Stream<V> values() {
    return StreamSupport.stream(
        Spliterators.spliterator(iterator(), map.size(), Spliterator.SIZED), false);
  }
}
