package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of {@code GET /v1/state/datasets}: what a dataset agent last reported. {@code primary}
 * and {@code path} are present only while the dataset is mounted on a node; a dataset in transit
 * has neither.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetState(
    @JsonProperty(value = "dataset_id", required = true) String datasetId,
    @JsonProperty("primary") String primary,
    @JsonProperty("maximum_size") Long maximumSize,
    @JsonProperty("path") String path) {
  /** The node UUID interned, as in {@link DatasetConfiguration}: one copy per node, not per dataset. */
  public DatasetState {
    primary = primary == null ? null : primary.intern();
  }


  /** True when the dataset is mounted on {@code nodeUuid} at a known path. */
  public boolean isManifestOn(String nodeUuid) {
    return primary != null && path != null && primary.equals(nodeUuid);
  }
}
