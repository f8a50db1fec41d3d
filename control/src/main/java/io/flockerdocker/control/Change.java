package io.flockerdocker.control;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.util.List;

/**
 * One element of a configuration commit, as applied in memory and appended to the journal
 * ({@link ConfigurationFile}). Every change sets a value outright, so replaying it twice (a crash
 * between a snapshot and the journal's reset) gives the same configuration.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Change.DatasetPut.class, name = "dataset"),
  @JsonSubTypes.Type(value = Change.LeasePut.class, name = "lease"),
  @JsonSubTypes.Type(value = Change.LeaseRemoved.class, name = "lease-removed")
})
sealed interface Change {
  /** Creates or replaces a dataset (a move, a delete marker). */
  record DatasetPut(@JsonProperty(value = "dataset", required = true) DatasetConfiguration dataset)
      implements Change {}

  /** Acquires or renews a lease. */
  record LeasePut(@JsonProperty(value = "lease", required = true) StoredLease lease)
      implements Change {}

  /** Releases a lease, or the sweep expired it. */
  record LeaseRemoved(@JsonProperty(value = "dataset_id", required = true) String datasetId)
      implements Change {}

  /** One journal line: the changes of one commit and the revision it produced. */
  record Entry(
      @JsonProperty(value = "revision", required = true) long revision,
      @JsonProperty(value = "changes", required = true) List<Change> changes) {
    public Entry {
      changes = List.copyOf(changes);
    }
  }
}
