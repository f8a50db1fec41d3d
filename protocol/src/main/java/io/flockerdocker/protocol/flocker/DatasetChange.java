package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One dataset in an answer of the change feed ({@code GET /v1/x/changes},
 * docs/control-api-extensions.md): its current configuration, state and lease, each null when
 * there is none (a configuration with {@code deleted: true} is a delete; a null one was never
 * configured here). Every field is the value now, never a diff: applying one twice is harmless.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DatasetChange(
    @JsonProperty(value = "dataset_id", required = true) String datasetId,
    @JsonProperty("configuration") DatasetConfiguration configuration,
    @JsonProperty("state") DatasetState state,
    @JsonProperty("lease") Lease lease) {}
