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
 * The FeedWatcher's current view of the control service, as of a version of the change feed (its
 * snapshot's tag) and the time the read that brought it began. Kept by the feed: a batch costs
 * O(its datasets × log V), never O(all), and so does handing the catalog a snapshot (the
 * {@link FlockerSnapshot} is persistent: the next one shares everything a batch did not touch).
 * Every host's report, which the feed does not carry, is set apart by the watcher's own reads.
 * Owned by one actor; it also remembers which datasets changed since the last publish.
 */
final class CatalogState {
  private FlockerSnapshot current = FlockerSnapshot.empty();
  /** Dataset ids changed since the last {@link #drainChanged}; null: everything (a full read). */
  private Set<String> changed;

  /**
   * Replaces the lists with one full read of them, begun at {@code readFrom} when the feed was at
   * {@code version}; the reports are kept.
   */
  void reset(List<DatasetConfiguration> all, List<DatasetState> st, List<Lease> ls,
      List<Node> ns, String version, Instant readFrom) {
    current = current.withConfiguration(version, all).withStates(st).withLeases(ls)
        .withNodes(ns).at(version, readFrom);
    changed = null;
  }

  /** Replaces everything with a saved snapshot (its reports' copies included). */
  void restore(FlockerSnapshot saved) {
    current = saved;
    changed = null;
  }

  /**
   * Applies one batch of the feed, asked for at {@code readFrom}: each entry is the dataset's value
   * now, null for none.
   */
  void apply(ChangeBatch batch, Instant readFrom) {
    current = current.apply(batch).at(batch.version(), readFrom);
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

  /** The feed's version this view is at. */
  String version() {
    return current.tag();
  }

  /** The catalog's next snapshot: the view itself, persistent, so O(1) to hand over. */
  FlockerSnapshot snapshot() {
    return current;
  }

  /** The dataset ids changed since the last call, empty meaning "all" (after a full read). */
  Optional<Set<String>> drainChanged() {
    Optional<Set<String>> out = Optional.ofNullable(changed).map(Set::copyOf);
    changed = new HashSet<>();
    return out;
  }
}
