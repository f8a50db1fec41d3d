package io.flockerdocker.agent.dataset;

import io.flockerdocker.protocol.flocker.DatasetCopy;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * The DatasetAgent's data, owned by its actor alone (never shared): local copies, last errors,
 * datasets ever seen reported, what is to be decided again and the last report. The log helpers
 * say each problem once, not once per tick, and say when it is over.
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

  /** The feed changed {@code datasetId}, whose copies are now {@code copies}: decide it again. */
  void changed(String self, String datasetId, List<DatasetCopy> copies) {
    dirty.add(datasetId);
    seen(self, copies);
  }

  /** Remembers a dataset another host reports as having existed (see Convergence). */
  void seen(String self, List<DatasetCopy> copies) {
    for (DatasetCopy c : copies) {
      if (!c.node().equals(self)) {
        seen.add(c.copy().datasetId());
      }
    }
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
