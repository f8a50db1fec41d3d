package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.Map;

/**
 * Body of {@code POST /v1/configuration/datasets}. Only {@code primary} is required; the server
 * generates {@code dataset_id} when absent. Never send {@code deleted} (Flocker answers 500).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateDatasetRequest(
    @JsonSetter(nulls = Nulls.FAIL) @JsonProperty(value = "primary", required = true) String primary,
    @JsonProperty("dataset_id") String datasetId,
    @JsonProperty("maximum_size") Long maximumSize,
    @JsonSetter(contentNulls = Nulls.FAIL) @JsonProperty("metadata") Map<String, String> metadata) {
  public CreateDatasetRequest {
    metadata = metadata == null ? null : Map.copyOf(metadata);
  }
}
