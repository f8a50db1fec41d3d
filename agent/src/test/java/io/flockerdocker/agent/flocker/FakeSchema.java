package io.flockerdocker.agent.flocker;

import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import java.util.UUID;

/**
 * The request checks of Flocker's JSON schemas (spec section 3) that the fake answers 400 for:
 * version-4 UUIDs, size at least 64 MiB and a multiple of 1024, at most 16 metadata keys.
 */
final class FakeSchema {
  private static final String UUID4 =
      "^[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-4[A-Fa-f0-9]{3}-[89abAB][A-Fa-f0-9]{3}-[A-Fa-f0-9]{12}$";

  private FakeSchema() {}

  /** Checks a create request; returns the dataset id to use (generated or lower-cased). */
  static String checkCreate(CreateDatasetRequest r) {
    checkUuid("primary", r.primary());
    String id = r.datasetId() == null ? UUID.randomUUID().toString() : r.datasetId();
    checkUuid("dataset_id", id);
    Long size = r.maximumSize();
    if (size != null && (size < 64L * 1024 * 1024 || size % 1024 != 0)) {
      throw bad("maximum_size must be >= 64 MiB and a multiple of 1024: " + size);
    }
    if (r.metadata() != null && r.metadata().size() > 16) {
      throw bad("at most 16 metadata properties");
    }
    return id.toLowerCase();
  }

  /** The lease schema checks only the length of dataset_id, but node_uuid's pattern. */
  static void checkLease(String datasetId, String nodeUuid) {
    checkUuid("node_uuid", nodeUuid);
    if (datasetId == null || datasetId.length() != 36) {
      throw bad("dataset_id must be 36 characters: " + datasetId);
    }
  }

  static void checkUuid(String field, String value) {
    if (value == null || !value.matches(UUID4)) {
      throw bad("'" + field + "' is not a version-4 UUID: " + value);
    }
  }

  private static FlockerException bad(String why) {
    return FakeFlockerClient.fail(Kind.BAD_REQUEST, 400, why);
  }
}
