package io.flockerdocker.agent.volume;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Docker Mount requests a MountTable has already counted, identified by volume, mount id and
 * the request's deadline (which the plugin route keeps across its repeats of one request). Only
 * the most recent ones are kept: repeats come within seconds of the original.
 */
final class CountedRequests {
  private static final int KEPT = 4096;

  private final Map<String, Boolean> keys = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > KEPT;
    }
  };

  /** True if this request (not 0 = unidentified) was counted before. */
  boolean contains(String volume, String mountId, long request) {
    return request != 0 && keys.containsKey(key(volume, mountId, request));
  }

  /** Remembers a counted request; unidentified ones (0) are not remembered. */
  void add(String volume, String mountId, long request) {
    if (request != 0) {
      keys.put(key(volume, mountId, request), Boolean.TRUE);
    }
  }

  private static String key(String volume, String mountId, long request) {
    return volume + "|" + mountId + "|" + request;
  }
}
