package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer of {@code GET /v1/x/datasets-by-name/{name}}: the live dataset carrying that
 * metadata name (the oldest of twins; null when there is none) and its lease (null when none is
 * held).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NamedDataset(
    @JsonProperty(value = "dataset", required = true) DatasetConfiguration dataset,
    @JsonProperty("lease") Lease lease) {}
