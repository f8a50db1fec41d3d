package io.flockerdocker.agent.flocker;

import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One consistent-enough read of the control service: live dataset configuration, observed state,
 * leases and nodes, with when the read started. Immutable; the StateWatcher publishes a new one
 * after every poll, or after a few batches of the change feed (then {@code startedAt} is when the
 * request of the last batch in it was sent, and {@code tag} the feed's version).
 */
public record FlockerSnapshot(
    String tag,
    List<DatasetConfiguration> datasets,
    List<DatasetState> states,
    List<Lease> leases,
    List<Node> nodes,
    Instant startedAt) {
  public FlockerSnapshot {
    datasets = List.copyOf(datasets);
    states = List.copyOf(states);
    leases = List.copyOf(leases);
    nodes = List.copyOf(nodes);
  }

  public static FlockerSnapshot empty() {
    return new FlockerSnapshot("", List.of(), List.of(), List.of(), List.of(), Instant.EPOCH);
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
}
