package io.flockerdocker.agent.volume;

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
}
