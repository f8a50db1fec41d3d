package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.List;

/**
 * What one host's dataset agent reports to the control service ({@code PUT
 * /v1/state/nodes/{uuid}}, an extension of Flocker's v1 API): the whole set of dataset copies it
 * holds, replacing its previous report. {@code host} and {@code dataPort} are where other hosts'
 * agents pull datasets from it. {@code epoch} is the agent process's start time (ms) and {@code
 * seq} counts its reports: the control service refuses a report not newer than the last one.
 */
public record NodeReport(
    @JsonProperty(value = "uuid", required = true) String uuid,
    @JsonProperty(value = "host", required = true) String host,
    @JsonProperty(value = "data_port", required = true) int dataPort,
    @JsonProperty(value = "backend", required = true) String backend,
    @JsonProperty(value = "epoch", required = true) long epoch,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonSetter(contentNulls = Nulls.FAIL)
        @JsonProperty(value = "datasets", required = true)
        List<ReportedDataset> datasets) {
  public NodeReport {
    datasets = datasets == null ? List.of() : List.copyOf(datasets);
  }

  /**
   * Whether {@code other} says the same as this report (where to reach the host, what it holds):
   * everything but {@code epoch} and {@code seq}, which only order reports.
   */
  public boolean sameContent(NodeReport other) {
    return uuid.equals(other.uuid) && host.equals(other.host) && dataPort == other.dataPort
        && backend.equals(other.backend) && datasets.equals(other.datasets);
  }
}
