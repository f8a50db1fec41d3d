package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The 200 answer of the change feed ({@code GET /v1/x/changes?since=V}): every dataset whose
 * configuration, state or lease holder changed after {@code V}, at its current value, and the
 * version to ask from next. {@code nodes} is the whole node list when any host's address changed,
 * else null (it holds one entry per host, not per dataset).
 */
public record ChangeBatch(
    @JsonProperty(value = "version", required = true) String version,
    @JsonProperty(value = "datasets", required = true) List<DatasetChange> datasets,
    @JsonProperty("nodes") List<Node> nodes) {
  public ChangeBatch {
    datasets = datasets == null ? List.of() : List.copyOf(datasets);
    nodes = nodes == null ? null : List.copyOf(nodes);
  }
}
