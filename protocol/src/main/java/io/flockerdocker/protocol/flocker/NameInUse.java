package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The 409 body of the create-if-name-unused extension ({@code PUT
 * /v1/x/datasets-by-name/{name}}, docs/control-api-extensions.md): Flocker's error envelope plus
 * the live dataset that already carries the name (its id, and the whole dataset as {@code GET
 * /v1/configuration/datasets} shows it), so the caller can adopt it without a second read.
 */
public record NameInUse(
    @JsonProperty(value = "description", required = true) String description,
    @JsonProperty(value = "dataset_id", required = true) String datasetId,
    @JsonProperty(value = "dataset", required = true) DatasetConfiguration dataset) {
  public static final String DESCRIPTION = "The name is already in use.";
}
