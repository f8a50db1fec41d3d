package io.flockerdocker.control;

import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flocker's state endpoints derived from the hosts' reports (docs/data-plane.md section 1): a
 * dataset's {@code primary}/{@code path} is the host reporting it {@code manifest}; a dataset only
 * sealed or receiving somewhere is in transit and listed without them. Pure functions.
 */
final class StateView {
  private StateView() {}

  /** One reported copy and the host that holds it. */
  record Copy(String node, ReportedDataset dataset) {}

  /** {@code GET /v1/state/datasets}: one entry per reported dataset, sorted by dataset_id. */
  static List<DatasetState> datasets(List<NodeReport> reports, Configuration configuration) {
    Map<String, List<Copy>> byDataset = new TreeMap<>();
    for (NodeReport r : reports) {
      for (ReportedDataset d : r.datasets()) {
        byDataset.computeIfAbsent(d.datasetId(), k -> new ArrayList<>()).add(new Copy(r.uuid(), d));
      }
    }
    List<DatasetState> out = new ArrayList<>(byDataset.size());
    byDataset.forEach((id, copies) ->
        out.add(dataset(id, copies, configuration.datasets().get(id))));
    return out;
  }

  /**
   * One entry of {@code GET /v1/state/datasets} from the copies hosts report of it (not empty)
   * and its configuration (null if none); the change feed renders changed datasets with it.
   */
  static DatasetState dataset(String id, List<Copy> copies, DatasetConfiguration configured) {
    Copy winner = manifestWinner(copies, configured == null ? null : configured.primary());
    Long size = configured != null ? configured.maximumSize()
        : winner != null ? winner.dataset().maximumSize() : null;
    return winner == null
        ? new DatasetState(id, null, size, null)
        : new DatasetState(id, winner.node(), size, winner.dataset().path());
  }

  /**
   * The manifest copy that counts: the configured primary's if it reports one (it is where the
   * dataset is meant to be), else the highest generation (ties broken by node uuid, for a stable
   * answer); null when no host reports it manifest.
   */
  private static Copy manifestWinner(List<Copy> copies, String configuredPrimary) {
    List<Copy> manifest = copies.stream()
        .filter(c -> ReportedDataset.MANIFEST.equals(c.dataset().state()))
        .toList();
    return manifest.stream()
        .filter(c -> c.node().equals(configuredPrimary))
        .findFirst()
        .orElseGet(() -> manifest.stream()
            .max(Comparator.comparingLong((Copy c) -> c.dataset().generation())
                .thenComparing(Copy::node, Comparator.reverseOrder()))
            .orElse(null));
  }

  /** {@code GET /v1/state/nodes}: every host that has reported, sorted by uuid. */
  static List<Node> nodes(List<NodeReport> reports) {
    return reports.stream().map(r -> new Node(r.host(), r.uuid())).toList();
  }
}
