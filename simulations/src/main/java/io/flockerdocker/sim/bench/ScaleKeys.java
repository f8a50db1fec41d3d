package io.flockerdocker.sim.bench;

import java.util.List;

/**
 * The headline keys {@code bench scale --json} always prints (issue 16), so that runs before
 * and after a change compare key by key. A figure a run could not measure (a remote Mount with
 * one node, a phase that failed) is printed as null, never left out.
 */
final class ScaleKeys {
  static final List<String> REQUIRED = List.of(
      "volumes", "nodes", "create_per_s", "idle_bytes_per_s_per_node",
      "idle_bytes_per_s_per_node_at_zero", "list_p99_ms", "rss_mb", "ready_s",
      // beyond the list: the rest of what the suite measures
      "create_per_s_at_zero", "create_p50_ms", "create_p99_ms", "create_errors",
      "idle_requests_per_s", "idle_requests_per_s_at_zero", "idle_bytes_per_s",
      "idle_bytes_per_s_at_zero", "create_load_requests_per_s", "create_load_bytes_per_s",
      "mount_load_requests_per_s", "mount_load_bytes_per_s", "mount_local_p50_ms",
      "mount_local_p99_ms", "mount_remote_p50_ms", "mount_remote_p99_ms", "list_p50_ms",
      "heap_used_mb", "group_rss_mb_per_agent", "ready_listed_s", "catalog_s",
      "copies_s", "idle_wait_s", "idle_wait_complete");

  private ScaleKeys() {}

  /** Puts null for every required key {@code r} lacks; returns how many were missing. */
  static int complete(Report r) {
    int missing = 0;
    for (String k : REQUIRED) {
      if (!r.has(k)) {
        r.put(k, null);
        missing++;
      }
    }
    return missing;
  }
}
