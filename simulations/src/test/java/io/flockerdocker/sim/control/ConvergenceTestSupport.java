package io.flockerdocker.sim.control;

import com.fasterxml.jackson.databind.JsonNode;

/** Shared state predicates for convergence tests. */
final class ConvergenceTestSupport {
  private ConvergenceTestSupport() {}

  /** True when {@code /state/datasets} shows {@code id} mounted on {@code node}. */
  static boolean manifestOn(ApiClient api, String id, NodeSpec node) throws Exception {
    JsonNode s = api.state(id);
    return s != null && s.has("primary") && s.get("primary").asText().equals(node.uuid())
        && s.has("path");
  }
}
