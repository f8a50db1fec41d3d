package io.flockerdocker.agent.mounts;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Arithmetic on a node's mount table: volume name to a multiset of mount ids (id to how many
 * times Docker mounted it). Tables are copied, never changed in place, so the MountTable can
 * hand one to its journal writer while it keeps serving reads.
 */
final class MountCounts {
  private MountCounts() {}

  /** How many mounts one volume's ids add up to. */
  static int of(Map<String, Integer> ids) {
    return ids.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Every mount on the node. */
  static int total(Map<String, Map<String, Integer>> table) {
    return table.values().stream().mapToInt(MountCounts::of).sum();
  }

  /** Each volume's count, sorted by name, read-only. */
  static Map<String, Integer> perVolume(Map<String, Map<String, Integer>> table) {
    Map<String, Integer> out = new TreeMap<>();
    table.forEach((v, ids) -> out.put(v, of(ids)));
    return Collections.unmodifiableMap(out);
  }

  /** A deep copy, sorted, that the caller may change. */
  static Map<String, Map<String, Integer>> copy(Map<String, Map<String, Integer>> table) {
    Map<String, Map<String, Integer>> out = new TreeMap<>();
    table.forEach((v, ids) -> out.put(v, new TreeMap<>(ids)));
    return out;
  }

  /**
   * {@code table} with {@code id} of {@code volume} counted {@code delta} more times (ids and
   * volumes at zero removed), or null when a drop finds no such id: nothing to change.
   */
  static Map<String, Map<String, Integer>> add(
      Map<String, Map<String, Integer>> table, String volume, String id, int delta) {
    Map<String, Map<String, Integer>> next = copy(table);
    Map<String, Integer> ids = next.computeIfAbsent(volume, v -> new TreeMap<>());
    int now = ids.getOrDefault(id, 0);
    if (delta < 0 && now == 0) {
      return null;
    }
    if (now + delta == 0) {
      ids.remove(id);
    } else {
      ids.put(id, now + delta);
    }
    if (ids.isEmpty()) {
      next.remove(volume);
    }
    return next;
  }

  /**
   * {@code table} with {@code ids} of {@code volume} taken away (each at most as often as it is
   * counted now), volumes left at zero removed.
   */
  static Map<String, Map<String, Integer>> subtract(
      Map<String, Map<String, Integer>> table, String volume, Map<String, Integer> ids) {
    Map<String, Map<String, Integer>> next = copy(table);
    Map<String, Integer> now = next.get(volume);
    if (now == null) {
      return next;
    }
    ids.forEach((id, n) -> now.computeIfPresent(id, (k, have) -> have > n ? have - n : null));
    if (now.isEmpty()) {
      next.remove(volume);
    }
    return next;
  }
}
