package io.flockerdocker.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The desired cluster configuration (datasets incl. deleted ones, and leases), immutable. Its tag
 * is a hash of a canonical form, so equal configurations have equal tags and no-ops keep the tag.
 */
final class Configuration {
  // metadata maps iterate in a per-JVM random order: sort keys so a restart keeps the tag
  private static final ObjectMapper CANONICAL =
      Json.mapper().copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final Map<String, DatasetConfiguration> datasets;
  private final Map<String, StoredLease> leases;
  private final String tag;

  Configuration(Map<String, DatasetConfiguration> datasets, Map<String, StoredLease> leases) {
    // insertion order is kept for listing; the tag uses sorted copies
    this.datasets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(datasets));
    this.leases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(leases));
    this.tag = computeTag();
  }

  static Configuration empty() {
    return new Configuration(Map.of(), Map.of());
  }

  static Configuration of(Collection<DatasetConfiguration> ds, Collection<StoredLease> ls) {
    Map<String, DatasetConfiguration> d = new LinkedHashMap<>();
    ds.forEach(x -> d.put(x.datasetId(), x));
    Map<String, StoredLease> l = new LinkedHashMap<>();
    ls.forEach(x -> l.put(x.datasetId(), x));
    return new Configuration(d, l);
  }

  Map<String, DatasetConfiguration> datasets() {
    return datasets;
  }

  Map<String, StoredLease> leases() {
    return leases;
  }

  String tag() {
    return tag;
  }

  Configuration withDataset(DatasetConfiguration dataset) {
    Map<String, DatasetConfiguration> copy = new LinkedHashMap<>(datasets);
    copy.put(dataset.datasetId(), dataset);
    return new Configuration(copy, leases);
  }

  Configuration withLease(StoredLease lease) {
    Map<String, StoredLease> copy = new LinkedHashMap<>(leases);
    copy.put(lease.datasetId(), lease);
    return new Configuration(datasets, copy);
  }

  Configuration withoutLease(String datasetId) {
    Map<String, StoredLease> copy = new LinkedHashMap<>(leases);
    copy.remove(datasetId);
    return new Configuration(datasets, copy);
  }

  /** Drops leases whose expiry is strictly before {@code nowMs}; returns this when none did. */
  Configuration expireLeases(long nowMs) {
    if (leases.values().stream().noneMatch(l -> l.expiredAt(nowMs))) {
      return this;
    }
    Map<String, StoredLease> copy = new LinkedHashMap<>(leases);
    copy.values().removeIf(l -> l.expiredAt(nowMs));
    return new Configuration(datasets, copy);
  }

  /** The persisted form: both lists, leases with absolute expiry. */
  Persisted persisted() {
    return new Persisted(List.copyOf(datasets.values()), List.copyOf(leases.values()));
  }

  record Persisted(List<DatasetConfiguration> datasets, List<StoredLease> leases) {
    Persisted {
      datasets = datasets == null ? List.of() : List.copyOf(datasets);
      leases = leases == null ? List.of() : List.copyOf(leases);
    }
  }

  private String computeTag() {
    try {
      String canonical =
          CANONICAL.writeValueAsString(new Persisted(
              List.copyOf(new TreeMap<>(datasets).values()),
              List.copyOf(new TreeMap<>(leases).values())));
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      // 32 hex chars like Flocker's murmur3-128 tag; clients treat it as opaque anyway
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException("cannot hash configuration", e);
    }
  }
}
