package io.flockerdocker.agent.flocker;

import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/state/datasets} derived from the hosts' reports exactly as docs/data-plane.md §1
 * says: the host reporting a dataset manifest is its primary (two: the configured primary's, else
 * the higher generation); a dataset only sealed or receiving somewhere is listed without either.
 */
final class FakeState {
  private FakeState() {}

  static List<DatasetState> derive(
      Collection<NodeReport> reports, Map<String, DatasetConfiguration> config) {
    Map<String, NodeReport> holder = new LinkedHashMap<>();
    Map<String, ReportedDataset> chosen = new LinkedHashMap<>();
    for (NodeReport r : reports) {
      for (ReportedDataset d : r.datasets()) {
        String id = d.datasetId();
        ReportedDataset best = chosen.get(id);
        if (best == null || better(r, d, holder.get(id), best, config.get(id))) {
          chosen.put(id, d);
          holder.put(id, r);
        }
      }
    }
    List<DatasetState> out = new ArrayList<>();
    chosen.forEach((id, d) -> {
      DatasetConfiguration c = config.get(id);
      Long size = d.maximumSize() != null ? d.maximumSize() : c == null ? null : c.maximumSize();
      boolean manifest = ReportedDataset.MANIFEST.equals(d.state());
      out.add(new DatasetState(id, manifest ? holder.get(id).uuid() : null, size,
          manifest ? d.path() : null));
    });
    return out;
  }

  /** Manifest beats anything else; between two manifests the configured primary, then gen. */
  private static boolean better(NodeReport r, ReportedDataset d, NodeReport bestHost,
      ReportedDataset best, DatasetConfiguration c) {
    boolean dm = ReportedDataset.MANIFEST.equals(d.state());
    boolean bm = ReportedDataset.MANIFEST.equals(best.state());
    if (dm != bm) {
      return dm;
    }
    if (dm && c != null) {
      boolean dp = r.uuid().equals(c.primary());
      boolean bp = bestHost.uuid().equals(c.primary());
      if (dp != bp) {
        return dp;
      }
    }
    return d.generation() > best.generation();
  }
}
