package io.flockerdocker.agent.flocker;

import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.NodeReport;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One consistent-enough read of the control service: live dataset configuration, the deleted
 * datasets, observed state, leases, every host's report (empty unless this node runs the dataset
 * agent role) and nodes, with when the read started. Immutable; the StateWatcher publishes a new
 * one after every poll (reusing the lists a conditional read found unchanged), or after a few
 * batches of the change feed (then {@code startedAt} is when the request of the last batch in it
 * was sent, and {@code tag} the feed's version).
 */
public record FlockerSnapshot(
    String tag,
    List<DatasetConfiguration> datasets,
    List<DatasetConfiguration> deleted,
    List<DatasetState> states,
    List<Lease> leases,
    List<NodeReport> reports,
    List<Node> nodes,
    Instant startedAt) {
  public FlockerSnapshot {
    datasets = List.copyOf(datasets);
    deleted = List.copyOf(deleted);
    states = List.copyOf(states);
    leases = List.copyOf(leases);
    reports = List.copyOf(reports);
    nodes = List.copyOf(nodes);
  }

  public static FlockerSnapshot empty() {
    return new FlockerSnapshot("", List.of(), List.of(), List.of(), List.of(), List.of(),
        List.of(), Instant.EPOCH);
  }

  /**
   * Whether {@code other} has the same lists as this one. O(1) for the lists a conditional read
   * found unchanged (they are the same objects); a full read (no ETags) compares contents.
   */
  public boolean sameLists(FlockerSnapshot other) {
    return datasets.equals(other.datasets) && deleted.equals(other.deleted)
        && states.equals(other.states) && leases.equals(other.leases)
        && reports.equals(other.reports) && nodes.equals(other.nodes);
  }

  /**
   * The path of {@code datasetId} on {@code nodeUuid} if the state shows it mounted there. During
   * a move several entries for one dataset may exist; only the one naming this node counts.
   */
  public Optional<String> manifestPath(String datasetId, String nodeUuid) {
    return states.stream()
        .filter(s -> s.datasetId().equals(datasetId) && s.isManifestOn(nodeUuid))
        .map(DatasetState::path)
        .findFirst();
  }

  /** The node the state shows {@code datasetId} manifest on (where its data is), if any. */
  public Optional<String> manifestNode(String datasetId) {
    return states.stream()
        .filter(s -> s.datasetId().equals(datasetId) && s.primary() != null && s.path() != null)
        .map(DatasetState::primary)
        .findFirst();
  }

  public Optional<DatasetConfiguration> byName(String name) {
    return datasets.stream().filter(d -> name.equals(d.name())).findFirst();
  }

  /** The names of the volumes whose lease {@code nodeUuid} holds. */
  public List<String> leasedBy(String nodeUuid) {
    java.util.Set<String> leased = new java.util.HashSet<>();
    leases.stream().filter(l -> nodeUuid.equals(l.nodeUuid())).forEach(l -> leased.add(
        l.datasetId()));
    return datasets.stream().filter(d -> d.name() != null && leased.contains(d.datasetId()))
        .map(DatasetConfiguration::name).toList();
  }
}
