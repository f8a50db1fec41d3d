package io.flockerdocker.control;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The change feed's bounded memory: which datasets (and whether the node list) changed at each
 * sequence number, the last {@code capacity} of them. Only keys are kept, never values: an answer
 * renders the current values of the keys, so the ring costs a reference per change. Versions are
 * {@code <boot>-<seq>}: the ring lives in memory, so a version from another run is unknown.
 */
final class ChangeLog {
  /** The key that stands for "the node list changed" (dataset ids are never empty). */
  static final String NODES = "";

  /** The keys changed after a version, and the version they bring the caller to. */
  record Since(Set<String> keys, String version) {}

  private final String boot;
  private final int capacity;
  private final ArrayDeque<String> ring = new ArrayDeque<>();
  private long seq;

  ChangeLog(String boot, int capacity) {
    this.boot = boot;
    this.capacity = capacity;
  }

  /** Appends one sequence number per key; the oldest fall off past the capacity. */
  synchronized void record(Collection<String> keys) {
    for (String key : keys) {
      ring.addLast(key);
      seq++;
    }
    while (ring.size() > capacity) {
      ring.removeFirst();
    }
  }

  synchronized String version() {
    return boot + "-" + seq;
  }

  /**
   * The distinct keys changed after {@code version}, at most {@code maxKeys}; null (410 Gone)
   * when the version is from another run, older than the ring reaches, in the future, or when
   * more than {@code maxKeys} changed (a full read is then cheaper than the delta).
   */
  synchronized Since since(String version, int maxKeys) {
    int dash = version.lastIndexOf('-');
    if (dash < 0 || !version.substring(0, dash).equals(boot)) {
      return null;
    }
    long from;
    try {
      from = Long.parseLong(version.substring(dash + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    long oldest = seq - ring.size(); // the ring holds the changes oldest+1 .. seq
    if (from < oldest || from > seq) {
      return null;
    }
    Set<String> keys = new LinkedHashSet<>();
    Iterator<String> newestFirst = ring.descendingIterator();
    for (long n = seq; n > from; n--) {
      keys.add(newestFirst.next());
      if (keys.size() > maxKeys) {
        return null;
      }
    }
    return new Since(keys, version());
  }
}
