package io.flockerdocker.agent.mounts;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Docker Mount requests a MountTable has already counted, by request id (which the plugin
 * route makes once per request and keeps across its repeats). Only the most recent ones are kept:
 * repeats come within seconds of the original.
 */
final class CountedRequests {
  private static final int KEPT = 4096;

  private final Map<String, Boolean> keys = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > KEPT;
    }
  };

  /** True if this request (not null = unidentified) was counted before. */
  boolean contains(String requestId) {
    return requestId != null && keys.containsKey(requestId);
  }

  /** Remembers a counted request; unidentified ones (null) are not remembered. */
  void add(String requestId) {
    if (requestId != null) {
      keys.put(requestId, Boolean.TRUE);
    }
  }
}
