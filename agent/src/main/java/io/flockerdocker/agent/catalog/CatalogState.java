package io.flockerdocker.agent.catalog;

import io.flockerdocker.agent.flocker.FlockerSnapshot;
import io.flockerdocker.protocol.flocker.ChangeBatch;
import io.flockerdocker.protocol.flocker.DatasetChange;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.NodeReport;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The FeedWatcher's current view of the control service, kept by the change feed: a batch costs
 * O(its datasets × log V), never O(all), and so does handing the catalog a snapshot (the
 * {@link FlockerSnapshot} is persistent: the next one shares everything a batch did not touch).
 * Every host's report, which the feed does not carry, is set apart by the watcher's own reads.
 * Owned by one actor; it also remembers which datasets changed since the last publish.
 */
final class CatalogState {
  private FlockerSnapshot current = FlockerSnapshot.empty();
  /** Dataset ids changed since the last {@link #drainChanged}; null: everything (a full read). */
  private Set<String> changed;

  /** Replaces the lists with one full read of them; the reports are kept. */
  void reset(List<DatasetConfiguration> all, List<DatasetState> st, List<Lease> ls,
      List<Node> ns) {
    current = current.withConfiguration(current.tag(), all).withStates(st).withLeases(ls)
        .withNodes(ns);
    changed = null;
  }

  /** Replaces everything with a saved snapshot (its reports' copies included). */
  void restore(FlockerSnapshot saved) {
    current = saved;
    changed = null;
  }

  /** Applies one batch of the feed: each entry is the dataset's value now, null for none. */
  void apply(ChangeBatch batch) {
    current = current.apply(batch);
    if (changed != null) {
      batch.datasets().stream().map(DatasetChange::datasetId).forEach(changed::add);
    }
  }

  /**
   * Every host's last report, as the watcher last read it: any dataset's copies may have changed,
   * so the next publish says "everything changed".
   */
  void reports(List<NodeReport> all) {
    current = current.withReports(all);
    changed = null;
  }

  /** Where {@code datasetId} is mounted on {@code nodeUuid} (O(log V)). */
  Optional<String> manifestPath(String datasetId, String nodeUuid) {
    return current.manifestPath(datasetId, nodeUuid);
  }

  /** The catalog's next snapshot: O(1), it shares the current one's maps. */
  FlockerSnapshot snapshot(String tag, Instant startedAt) {
    return current.at(tag, startedAt);
  }

  /** The dataset ids changed since the last call, empty meaning "all" (after a full read). */
  Optional<Set<String>> drainChanged() {
    Optional<Set<String>> out = Optional.ofNullable(changed).map(Set::copyOf);
    changed = new HashSet<>();
    return out;
  }
}
