package io.flockerdocker.agent.dataset;

import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * The DatasetAgent's data, owned by its actor alone (never shared): local copies, last errors,
 * datasets ever seen reported, what is to be decided again and the last report. The log helpers say each
 * problem once, not once per tick, and say when it is over.
 */
final class AgentState {
  Map<String, LocalCopy> local = new HashMap<>();
  final Map<String, String> errors = new HashMap<>();
  /** Datasets seen in any other host's report: never created afresh here (see Convergence). */
  final Set<String> seen = new HashSet<>();
  /** Datasets to decide again: their inputs changed, or they still have a step to take. */
  final Set<String> dirty = new HashSet<>();
  /** Every dataset is to be decided again (a full read, a rescan, the resync interval). */
  boolean everything = true;
  List<ReportedDataset> lastReported = List.of();
  long seq;
  private final Set<String> warnedUnknown = new HashSet<>();

  /**
   * Another host's report changed: its datasets, before and after, are decided again, and every
   * dataset it reports is remembered as having existed. O(the changed reports), and only when the
   * reports list changed.
   */
  void reportsChanged(String self, List<NodeReport> before, List<NodeReport> after) {
    Map<String, NodeReport> old = new HashMap<>();
    before.forEach(r -> old.put(r.uuid(), r));
    for (NodeReport r : after) {
      NodeReport was = old.remove(r.uuid());
      if (!r.equals(was)) {
        mark(r);
        if (was != null) {
          mark(was);
        }
        if (!r.uuid().equals(self)) {
          r.datasets().forEach(d -> seen.add(d.datasetId()));
        }
      }
    }
    old.values().forEach(this::mark); // a host whose report is gone
  }

  private void mark(NodeReport r) {
    r.datasets().forEach(d -> dirty.add(d.datasetId()));
  }

  void warnUnknown(Logger log, Set<String> unknown) {
    for (String id : unknown) {
      if (warnedUnknown.add(id)) {
        log.warn("dataset [{}] is held here but not in the control service's configuration: "
            + "kept, never deleted (is this the right control service?)", id);
      }
    }
    warnedUnknown.retainAll(unknown);
  }

  void stepFailed(Logger log, String node, String datasetId, String error, Throwable cause) {
    if (!error.equals(errors.put(datasetId, error))) {
      log.warn("dataset [{}] on [{}]: {}; retrying on a later tick", datasetId, node, error);
      log.debug("dataset [{}] on [{}]: failure detail", datasetId, node, cause);
    }
  }
}
