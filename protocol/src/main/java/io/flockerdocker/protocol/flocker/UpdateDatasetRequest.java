package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /v1/configuration/datasets/{id}}: a move. {@code primary} is the only field
 * Flocker lets a client change; an empty body {@code {}} is a successful no-op.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateDatasetRequest(@JsonProperty("primary") String primary) {}
