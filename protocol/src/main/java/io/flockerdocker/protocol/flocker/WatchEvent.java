package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The 200 answer of the watch extension ({@code GET /v1/x/watch}, docs/control-api-extensions.md):
 * the token to wait on next and the current ETag of each watched list endpoint, keyed by its path
 * below {@code /v1} (e.g. {@code configuration/datasets}); a client re-reads, conditionally,
 * those whose ETag differs from the one it holds.
 */
public record WatchEvent(
    @JsonProperty(value = "token", required = true) String token,
    @JsonProperty(value = "etags", required = true) Map<String, String> etags) {
  public static final String CONFIGURATION_DATASETS = "configuration/datasets";
  public static final String CONFIGURATION_LEASES = "configuration/leases";
  public static final String STATE_DATASETS = "state/datasets";
  public static final String STATE_NODES = "state/nodes";

  public WatchEvent {
    etags = Map.copyOf(etags);
  }
}
