package io.flockerdocker.protocol.flocker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.HashMap;
import java.util.Map;

/**
 * One dataset as {@code GET /v1/configuration/datasets} reports it: the desired placement, which
 * changes at once on every API call. {@code maximum_size} is omitted (not null) when unset; deleted
 * datasets stay listed forever with {@code deleted: true}.
 */
public record DatasetConfiguration(
    @JsonProperty(value = "dataset_id", required = true) String datasetId,
    @JsonProperty("primary") String primary,
    @JsonProperty("deleted") boolean deleted,
    @JsonSetter(contentNulls = Nulls.FAIL) @JsonProperty("metadata") Map<String, String> metadata,
    @JsonProperty("maximum_size") @JsonInclude(JsonInclude.Include.NON_NULL) Long maximumSize) {
  /**
   * Node UUIDs are interned: a host holds every dataset of the cluster (100,000 and more), and
   * each would otherwise carry its own copies of the same few node UUIDs (~80 bytes each).
   */
  public DatasetConfiguration {
    primary = primary == null ? null : primary.intern();
    metadata = metadata == null ? Map.of() : withInternedOrigin(Map.copyOf(metadata));
  }

  private static Map<String, String> withInternedOrigin(Map<String, String> metadata) {
    String origin = metadata.get(ORIGIN_KEY);
    if (origin == null || origin == origin.intern()) {
      return metadata;
    }
    Map<String, String> m = new HashMap<>(metadata);
    m.put(ORIGIN_KEY, origin.intern());
    return Map.copyOf(m);
  }

  /** The metadata key under which Docker volume plugins store the volume name. */
  public static final String NAME_KEY = "name";

  /**
   * The metadata key naming the node UUID that created the dataset: only that host's dataset
   * agent makes its first (empty) copy, even if the primary has moved on before it did.
   */
  public static final String ORIGIN_KEY = "flocker-docker:origin";

  /** The node that makes the first copy, or null for datasets not made by this plugin. */
  public String origin() {
    return metadata.get(ORIGIN_KEY);
  }

  /** The volume name this dataset carries, or null for datasets not made by a volume plugin. */
  public String name() {
    return metadata.get(NAME_KEY);
  }

  public DatasetConfiguration withPrimary(String newPrimary) {
    return new DatasetConfiguration(datasetId, newPrimary, deleted, metadata, maximumSize);
  }

  public DatasetConfiguration asDeleted() {
    return new DatasetConfiguration(datasetId, primary, true, metadata, maximumSize);
  }
}
