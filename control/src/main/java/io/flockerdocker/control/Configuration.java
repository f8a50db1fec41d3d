package io.flockerdocker.control;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The desired cluster configuration (datasets incl. deleted ones, and leases), immutable; a
 * commit costs O(log n) (persistent maps) whatever the size. Revisions replace Flocker's hash of
 * everything: {@link #tag} changes on every commit (no-ops are never committed), the datasets'
 * and leases' ETags only when those change, and the epoch keeps tags of a lost history (a fresh
 * data directory) from colliding with ones a client remembers.
 */
final class Configuration {
  private final long epoch;
  private final long revision;
  private final long datasetsRevision;
  private final long leasesRevision;
  private final PersistentMap<String, DatasetConfiguration> datasets;
  private final PersistentMap<String, StoredLease> leases;
  /** Live (not deleted) datasets by metadata name; a list because the plain API allows twins. */
  private final PersistentMap<String, List<String>> names;

  private Configuration(long epoch, long revision, long datasetsRevision, long leasesRevision,
      PersistentMap<String, DatasetConfiguration> datasets,
      PersistentMap<String, StoredLease> leases, PersistentMap<String, List<String>> names) {
    this.epoch = epoch;
    this.revision = revision;
    this.datasetsRevision = datasetsRevision;
    this.leasesRevision = leasesRevision;
    this.datasets = datasets;
    this.leases = leases;
    this.names = names;
  }

  static Configuration empty() {
    return new Configuration(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 0, 0, 0,
        PersistentMap.empty(), PersistentMap.empty(), PersistentMap.empty());
  }

  static Configuration fromPersisted(Persisted p) {
    Configuration c = empty();
    long epoch = p.epoch() == null ? c.epoch : p.epoch();
    c = new Configuration(epoch, 0, 0, 0, c.datasets, c.leases, c.names);
    List<Change> changes = new ArrayList<>(p.datasets().size() + p.leases().size());
    p.datasets().forEach(d -> changes.add(new Change.DatasetPut(d)));
    p.leases().forEach(l -> changes.add(new Change.LeasePut(l)));
    c = c.apply(changes, p.revision());
    return new Configuration(epoch, p.revision(), p.datasetsRevision(), p.leasesRevision(),
        c.datasets, c.leases, c.names);
  }

  long epoch() {
    return epoch;
  }

  long revision() {
    return revision;
  }

  PersistentMap<String, DatasetConfiguration> datasets() {
    return datasets;
  }

  PersistentMap<String, StoredLease> leases() {
    return leases;
  }

  /** Flocker's {@code X-Configuration-Tag}: 32 hex digits, new on every commit. */
  String tag() {
    return String.format("%016x%016x", epoch, revision);
  }

  /** Strong ETag of {@code GET /v1/configuration/datasets}: changes with any dataset. */
  String datasetsEtag() {
    return "\"" + Long.toHexString(epoch) + "-d" + datasetsRevision + "\"";
  }

  /**
   * Weak ETag of {@code GET /v1/configuration/leases}: the body's {@code expires} counts down
   * every second, so no strong validator exists; this one changes when a lease is acquired,
   * released, expired or changes holder, not when its holder renews it.
   */
  String leasesEtag() {
    return "W/\"" + Long.toHexString(epoch) + "-l" + leasesRevision + "\"";
  }

  /** A live dataset carrying metadata {@code name}, if any (the oldest of twins). */
  DatasetConfiguration liveByName(String name) {
    List<String> ids = names.get(name);
    return ids == null ? null : datasets.get(ids.get(0));
  }

  /** The configuration after one commit of {@code changes}, at {@code newRevision}. */
  Configuration apply(List<Change> changes, long newRevision) {
    PersistentMap<String, DatasetConfiguration> ds = datasets;
    PersistentMap<String, StoredLease> ls = leases;
    PersistentMap<String, List<String>> ns = names;
    long dRev = datasetsRevision;
    long lRev = leasesRevision;
    for (Change change : changes) {
      if (change instanceof Change.DatasetPut put) {
        DatasetConfiguration d = put.dataset();
        ns = unindex(ns, ds.get(d.datasetId()));
        ns = index(ns, d);
        ds = ds.with(d.datasetId(), d);
        dRev = newRevision;
      } else if (change instanceof Change.LeasePut put) {
        StoredLease old = ls.get(put.lease().datasetId());
        if (old == null || !old.nodeUuid().equals(put.lease().nodeUuid())) {
          lRev = newRevision;
        }
        ls = ls.with(put.lease().datasetId(), put.lease());
      } else if (change instanceof Change.LeaseRemoved removed) {
        if (ls.containsKey(removed.datasetId())) {
          lRev = newRevision;
        }
        ls = ls.without(removed.datasetId());
      }
    }
    return new Configuration(epoch, newRevision, dRev, lRev, ds, ls, ns);
  }

  private static PersistentMap<String, List<String>> index(
      PersistentMap<String, List<String>> ns, DatasetConfiguration d) {
    if (d.deleted() || d.name() == null) {
      return ns;
    }
    List<String> ids = ns.get(d.name());
    if (ids == null) {
      return ns.with(d.name(), List.of(d.datasetId()));
    }
    List<String> more = new ArrayList<>(ids);
    more.add(d.datasetId());
    return ns.with(d.name(), List.copyOf(more));
  }

  private static PersistentMap<String, List<String>> unindex(
      PersistentMap<String, List<String>> ns, DatasetConfiguration old) {
    if (old == null || old.deleted() || old.name() == null) {
      return ns;
    }
    List<String> ids = ns.get(old.name());
    if (ids == null) {
      return ns;
    }
    List<String> fewer = new ArrayList<>(ids);
    fewer.remove(old.datasetId());
    return fewer.isEmpty() ? ns.without(old.name()) : ns.with(old.name(), List.copyOf(fewer));
  }

  /** Drops leases whose expiry is strictly before {@code nowMs}: the changes, maybe none. */
  List<Change> expiredLeases(long nowMs) {
    List<Change> out = new ArrayList<>();
    for (StoredLease l : leases) {
      if (l.expiredAt(nowMs)) {
        out.add(new Change.LeaseRemoved(l.datasetId()));
      }
    }
    return out;
  }

  /** The snapshot form: both lists (leases with absolute expiry) and the revisions. */
  Persisted persisted() {
    return new Persisted(epoch, revision, datasetsRevision, leasesRevision,
        datasets.values().toList(), leases.values().toList());
  }

  /** The snapshot file; files written before revisions existed have no epoch and revision 0. */
  record Persisted(
      @JsonProperty("epoch") Long epoch,
      @JsonProperty("revision") Long revision,
      @JsonProperty("datasets_revision") Long datasetsRevision,
      @JsonProperty("leases_revision") Long leasesRevision,
      @JsonProperty("datasets") List<DatasetConfiguration> datasets,
      @JsonProperty("leases") List<StoredLease> leases) {
    Persisted {
      revision = revision == null ? 0L : revision;
      datasetsRevision = datasetsRevision == null ? 0L : datasetsRevision;
      leasesRevision = leasesRevision == null ? 0L : leasesRevision;
      datasets = datasets == null ? List.of() : List.copyOf(datasets);
      leases = leases == null ? List.of() : List.copyOf(leases);
    }
  }
}
