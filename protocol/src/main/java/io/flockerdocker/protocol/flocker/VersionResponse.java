package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Reply of {@code GET /v1/version}: exactly one key, the Flocker release. */
public record VersionResponse(@JsonProperty(value = "flocker", required = true) String flocker) {}
