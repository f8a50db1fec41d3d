package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One host's copy of a dataset as the change feed carries it (docs/control-api-extensions.md
 * section 4): the host ({@code node} uuid, and the address and data port its report gives) and
 * the copy as that host reported it. What a dataset agent needs to pull from that host, without
 * reading every host's report.
 */
public record DatasetCopy(
    @JsonProperty(value = "node", required = true) String node,
    @JsonProperty(value = "host", required = true) String host,
    @JsonProperty(value = "data_port", required = true) int dataPort,
    @JsonProperty(value = "copy", required = true) ReportedDataset copy) {

  /** Every copy in {@code report}, each with the report's host. */
  public static java.util.stream.Stream<DatasetCopy> of(NodeReport report) {
    return report.datasets().stream()
        .map(d -> new DatasetCopy(report.uuid(), report.host(), report.dataPort(), d));
  }
}
