package io.flockerdocker.agent.catalog;

import io.flockerdocker.agent.flocker.FlockerSnapshot;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One published snapshot indexed for Get, Path and List: live datasets by volume name (sorted,
 * the List order; the oldest of twins wins), this node's mount paths and each dataset's lease
 * holder. Built once per published snapshot (O(V)), never per request or per overlay; immutable
 * once built.
 */
record CatalogIndex(
    FlockerSnapshot snapshot,
    NavigableMap<String, DatasetConfiguration> byName,
    Map<String, String> localPaths,
    Map<String, String> holders) {

  static CatalogIndex of(FlockerSnapshot s, String selfUuid, Path datasetRoot) {
    Map<String, String> localPaths = new HashMap<>();
    // a path outside the root is never a Mountpoint (Mount refuses it with an Err that says why)
    s.states().stream().filter(st -> st.isManifestOn(selfUuid))
        .filter(st -> Mountpoints.valid(datasetRoot, st.path()))
        .forEach(st -> localPaths.put(st.datasetId(), st.path()));
    Map<String, String> holders = new HashMap<>();
    s.leases().forEach(l -> holders.put(l.datasetId(), l.nodeUuid()));
    NavigableMap<String, DatasetConfiguration> byName = new TreeMap<>();
    for (DatasetConfiguration d : s.datasets()) {
      if (d.name() != null && !d.deleted()) {
        byName.putIfAbsent(d.name(), d);
      }
    }
    // never written again: read-only wrappers instead of copies of every entry
    return new CatalogIndex(s, Collections.unmodifiableNavigableMap(byName),
        Collections.unmodifiableMap(localPaths), Collections.unmodifiableMap(holders));
  }
}
