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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The StateWatcher's own copy of the control service's lists, indexed by dataset id, kept current
 * by the change feed: a batch costs O(its datasets), never O(all). Owned by one actor (mutable,
 * never shared); {@link #snapshot} hands an immutable {@link FlockerSnapshot} to the catalog,
 * sharing the dataset, state and lease objects rather than copying them. Deleted datasets are
 * kept apart from the live ones (the dataset agent destroys their copies), and so is every host's
 * report, which the feed does not carry: the watcher reads the reports list itself.
 */
final class CatalogState {
  private final Map<String, DatasetConfiguration> datasets = new HashMap<>();
  private final Map<String, DatasetConfiguration> deleted = new HashMap<>();
  private final Map<String, DatasetState> states = new HashMap<>();
  private final Map<String, Lease> leases = new HashMap<>();
  private List<Node> nodes = List.of();
  private List<NodeReport> reports = List.of();
  /** Dataset ids changed since the last {@link #drainChanged}; null: everything (a full read). */
  private Set<String> changed;

  /** Replaces the lists with one full read of them (the reports are set apart). */
  void reset(List<DatasetConfiguration> all, List<DatasetState> st, List<Lease> ls,
      List<Node> ns) {
    datasets.clear();
    deleted.clear();
    states.clear();
    leases.clear();
    all.forEach(d -> (d.deleted() ? deleted : datasets).put(d.datasetId(), d));
    st.forEach(s -> states.put(s.datasetId(), s));
    ls.forEach(l -> leases.put(l.datasetId(), l));
    nodes = List.copyOf(ns);
    changed = null;
  }

  /** Applies one batch of the feed: each entry is the dataset's value now, null for none. */
  void apply(ChangeBatch batch) {
    for (DatasetChange c : batch.datasets()) {
      String id = c.datasetId();
      DatasetConfiguration d = c.configuration();
      put(datasets, id, d == null || d.deleted() ? null : d);
      put(deleted, id, d != null && d.deleted() ? d : null);
      put(states, id, c.state());
      put(leases, id, c.lease());
      if (changed != null) {
        changed.add(id);
      }
    }
    if (batch.nodes() != null) {
      nodes = batch.nodes();
    }
  }

  /** Every host's last report, as the watcher last read it. */
  void reports(List<NodeReport> all) {
    reports = List.copyOf(all);
  }

  /** Where {@code datasetId} is mounted on {@code nodeUuid}, from the index (O(1)). */
  Optional<String> manifestPath(String datasetId, String nodeUuid) {
    DatasetState s = states.get(datasetId);
    return s != null && s.isManifestOn(nodeUuid) ? Optional.of(s.path()) : Optional.empty();
  }

  /** An immutable view for the catalog: O(V) references, no per-dataset copies. */
  FlockerSnapshot snapshot(String tag, Instant startedAt) {
    return new FlockerSnapshot(tag, List.copyOf(datasets.values()),
        List.copyOf(deleted.values()), List.copyOf(states.values()),
        List.copyOf(leases.values()), reports, nodes, startedAt);
  }

  /** The dataset ids changed since the last call, empty meaning "all" (after a full read). */
  Optional<Set<String>> drainChanged() {
    Optional<Set<String>> out = Optional.ofNullable(changed).map(Set::copyOf);
    changed = new HashSet<>();
    return out;
  }

  private static <T> void put(Map<String, T> map, String id, T value) {
    if (value == null) {
      map.remove(id);
    } else {
      map.put(id, value);
    }
  }
}
