package io.flockerdocker.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.flockerdocker.protocol.flocker.Lease;

/**
 * A lease as the control service keeps it: with an ABSOLUTE expiry (epoch milliseconds, null =
 * never), so it survives restarts like Flocker's; the API shows seconds remaining instead.
 */
record StoredLease(
    @JsonProperty(value = "dataset_id", required = true) String datasetId,
    @JsonProperty(value = "node_uuid", required = true) String nodeUuid,
    @JsonProperty("expires_at_ms") @JsonInclude(JsonInclude.Include.ALWAYS) Long expiresAtMs) {

  /** Flocker's {@code Leases.expire}: strictly earlier than now. */
  boolean expiredAt(long nowMs) {
    return expiresAtMs != null && expiresAtMs < nowMs;
  }

  /** The API form: seconds remaining at {@code nowMs} (may be slightly negative), or null. */
  Lease toApi(long nowMs) {
    Double remaining = expiresAtMs == null ? null : (expiresAtMs - nowMs) / 1000.0;
    return new Lease(datasetId, nodeUuid, remaining);
  }
}
