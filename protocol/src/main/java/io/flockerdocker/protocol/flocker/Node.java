package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of {@code GET /v1/state/nodes}: a node whose dataset agent reports state. */
public record Node(
    @JsonProperty(value = "host", required = true) String host,
    @JsonProperty(value = "uuid", required = true) String uuid) {}
