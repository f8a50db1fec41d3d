package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One dataset copy in a {@link NodeReport}. {@code state}: {@code manifest} (complete, usable at
 * {@code path}), {@code sealed} (complete, no longer written: may be pulled by the configured
 * primary) or {@code receiving} (being pulled; not usable, {@code path} null). {@code generation}
 * orders copies: a pulled copy is its source's generation plus one, and a sealed copy that its
 * holder takes back skips one, so the newest authoritative copy always has the highest number.
 * {@code error} is the last failure of this host's work on the dataset (a failed transfer), or
 * null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReportedDataset(
    @JsonProperty(value = "dataset_id", required = true) String datasetId,
    @JsonProperty(value = "state", required = true) String state,
    @JsonProperty("path") String path,
    @JsonProperty(value = "generation", required = true) long generation,
    @JsonProperty("maximum_size") Long maximumSize,
    @JsonProperty("error") String error) {

  public static final String MANIFEST = "manifest";
  public static final String SEALED = "sealed";
  public static final String RECEIVING = "receiving";

  /** True for a complete copy (manifest or sealed): one that may be the source of a pull. */
  public boolean authoritative() {
    return MANIFEST.equals(state) || SEALED.equals(state);
  }
}
