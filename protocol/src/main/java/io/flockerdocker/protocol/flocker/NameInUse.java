package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The 409 body of the create-if-name-unused extension ({@code PUT
 * /v1/x/datasets-by-name/{name}}, docs/control-api-extensions.md): Flocker's error envelope plus
 * the live dataset that already carries the name, so the caller needs no second read.
 */
public record NameInUse(
    @JsonProperty(value = "description", required = true) String description,
    @JsonProperty(value = "dataset_id", required = true) String datasetId) {
  public static final String DESCRIPTION = "The name is already in use.";
}
