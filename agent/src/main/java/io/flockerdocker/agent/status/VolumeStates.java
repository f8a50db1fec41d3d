package io.flockerdocker.agent.status;

import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.flocker.FlockerSnapshot;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import java.util.ArrayList;
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
    List<Map<String, Object>> rows = new ArrayList<>();
    s.inNameOrder().forEach(d -> {
      String holder = s.lease(d.datasetId()).map(Lease::nodeUuid).orElse(null);
      List<DatasetState> st = s.states(d.datasetId());
      boolean onPrimary = st.stream().anyMatch(x -> x.isManifestOn(d.primary()));
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
