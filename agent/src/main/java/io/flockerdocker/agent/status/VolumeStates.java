package io.flockerdocker.agent.status;

import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.flocker.FlockerSnapshot;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives the status endpoint's volume rows from one Flocker snapshot and every node's mount
 * counts: {@code creating} (configured, not yet anywhere), {@code moving} (configured on a node
 * the state does not show it on), {@code mounted} (leased), else {@code ready}.
 */
public final class VolumeStates {
  private VolumeStates() {}

  public static List<Map<String, Object>> rows(
      FlockerSnapshot s, Nodes nodes, Map<String, Map<String, Integer>> mountsByNodeUuid) {
    Map<String, List<DatasetState>> states = new HashMap<>();
    s.states().forEach(st -> states.computeIfAbsent(st.datasetId(), k -> new ArrayList<>())
        .add(st));
    Map<String, Lease> leases = new HashMap<>();
    s.leases().forEach(l -> leases.put(l.datasetId(), l));
    List<Map<String, Object>> rows = new ArrayList<>();
    s.datasets().stream()
        .filter(d -> d.name() != null && !d.deleted())
        .sorted(java.util.Comparator.comparing(DatasetConfiguration::name))
        .forEach(d -> {
          Lease lease = leases.get(d.datasetId());
          List<DatasetState> st = states.getOrDefault(d.datasetId(), List.of());
          boolean onPrimary = st.stream().anyMatch(x -> x.isManifestOn(d.primary()));
          String holder = lease == null ? null : lease.nodeUuid();
          int mounts = holder == null ? 0
              : mountsByNodeUuid.getOrDefault(holder, Map.of()).getOrDefault(d.name(), 0);
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("name", d.name());
          row.put("datasetId", d.datasetId());
          row.put("primary", nodes.nameOf(d.primary()));
          row.put("mountedOn", nodes.nameOf(holder));
          row.put("mounts", mounts);
          row.put("state", holder != null && onPrimary ? "mounted"
              : onPrimary ? "ready" : st.isEmpty() ? "creating" : "moving");
          rows.add(row);
        });
    return rows;
  }
}
