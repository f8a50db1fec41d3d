package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * A lease, both as {@code POST /v1/configuration/leases} takes it and as the lease endpoints
 * return it (the two bodies have the same three keys). {@code expires} is the number of seconds
 * remaining, or null for a lease that never expires; it is always written, null included.
 */
public record Lease(
    @JsonSetter(nulls = Nulls.FAIL) @JsonProperty(value = "dataset_id", required = true) String datasetId,
    @JsonSetter(nulls = Nulls.FAIL) @JsonProperty(value = "node_uuid", required = true) String nodeUuid,
    @JsonProperty(value = "expires", required = true) @JsonInclude(JsonInclude.Include.ALWAYS)
        Double expires) {
  /** The node UUID interned, as in {@link DatasetConfiguration}: one copy per node, not per lease. */
  public Lease {
    nodeUuid = nodeUuid == null ? null : nodeUuid.intern();
  }
}
