package io.flockerdocker.sim.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the checker believes about one seed's volumes, from acknowledged replies only: which mount
 * ids each node's Mount acknowledged and no Unmount has taken back, the Mountpoints, the tokens
 * whose write through a Mountpoint succeeded, and mounts whose outcome is unknown (no answer).
 */
final class World {
  /** A mount id sent to a node for a volume. */
  record MountRef(int node, String volume, String id) {}

  final List<String> volumes;
  /** volume -> node -> acknowledged, not yet unmounted mount ids. */
  private final Map<String, Map<Integer, Set<String>>> active = new LinkedHashMap<>();
  /** volume -> node -> the Mountpoint that node returned. */
  private final Map<String, Map<Integer, String>> mountpoints = new LinkedHashMap<>();
  private final Map<String, Set<String>> tokens = new LinkedHashMap<>();
  final Set<MountRef> unknown = new LinkedHashSet<>();
  final Set<Integer> dead = new TreeSet<>();
  private int nextId;
  private int nextToken;
  private final long seed;

  World(long seed, int volumeCount) {
    this.seed = seed;
    List<String> names = new ArrayList<>();
    for (int v = 0; v < volumeCount; v++) {
      names.add("chaos-s" + seed + "-v" + v);
    }
    this.volumes = List.copyOf(names);
    names.forEach(n -> {
      active.put(n, new LinkedHashMap<>());
      mountpoints.put(n, new LinkedHashMap<>());
      tokens.put(n, new LinkedHashSet<>());
    });
  }

  String freshMountId() {
    return "s" + seed + "-m" + (nextId++);
  }

  String freshToken() {
    return "s" + seed + "-t" + (nextToken++);
  }

  /** Nodes with acknowledged active mounts of {@code volume}. */
  Set<Integer> holders(String volume) {
    Set<Integer> out = new TreeSet<>();
    active.get(volume).forEach((n, ids) -> {
      if (!ids.isEmpty()) {
        out.add(n);
      }
    });
    return out;
  }

  Set<String> ids(String volume, int node) {
    return active.get(volume).getOrDefault(node, Set.of());
  }

  void mounted(String volume, int node, String id, String mountpoint) {
    active.get(volume).computeIfAbsent(node, n -> new LinkedHashSet<>()).add(id);
    mountpoints.get(volume).put(node, mountpoint);
  }

  void unmounted(String volume, int node, String id) {
    Set<String> ids = active.get(volume).get(node);
    if (ids != null) {
      ids.remove(id);
    }
  }

  String mountpoint(String volume, int node) {
    return mountpoints.get(volume).get(node);
  }

  /** Every acknowledged active mount, for choosing one to unmount. */
  List<MountRef> activeMounts() {
    List<MountRef> out = new ArrayList<>();
    active.forEach((v, byNode) -> byNode.forEach((n, ids) ->
        ids.forEach(id -> out.add(new MountRef(n, v, id)))));
    return out;
  }

  Set<String> tokens(String volume) {
    return tokens.get(volume);
  }

  void removed(String volume) {
    tokens.get(volume).clear();
  }
}
