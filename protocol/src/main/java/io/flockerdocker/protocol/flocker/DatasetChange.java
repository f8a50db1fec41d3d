package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One dataset in an answer of the change feed ({@code GET /v1/x/changes},
 * docs/control-api-extensions.md): its current configuration, state, lease and every host's copy
 * of it, each null (or empty) when there is none (a configuration with {@code deleted: true} is a
 * delete; a null one was never configured here). Every field is the value now, never a diff:
 * applying one twice is harmless. {@code copies} is null from a service that does not carry them
 * (it does not advertise {@code changes-copies}).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DatasetChange(
    @JsonProperty(value = "dataset_id", required = true) String datasetId,
    @JsonProperty("configuration") DatasetConfiguration configuration,
    @JsonProperty("state") DatasetState state,
    @JsonProperty("lease") Lease lease,
    @JsonProperty("copies") List<DatasetCopy> copies) {

  public DatasetChange {
    copies = copies == null ? null : List.copyOf(copies);
  }

  /** Without the hosts' copies (a feed that does not carry them). */
  public DatasetChange(String datasetId, DatasetConfiguration configuration, DatasetState state,
      Lease lease) {
    this(datasetId, configuration, state, lease, null);
  }
}
