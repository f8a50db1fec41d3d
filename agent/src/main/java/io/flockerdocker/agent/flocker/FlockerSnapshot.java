package io.flockerdocker.agent.flocker;

import io.flockerdocker.agent.support.PersistentMap;
import io.flockerdocker.protocol.flocker.ChangeBatch;
import io.flockerdocker.protocol.flocker.DatasetChange;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetCopy;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.NodeReport;
import java.time.Instant;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One read of the control service, indexed: live datasets and deleted ones by id, live ones by
 * volume name (in name order, the List order), observed state, leases and every host's copies by
 * dataset id (no copies unless this node runs the dataset agent role) and the nodes, with when the
 * read started. Immutable and built from persistent maps: a batch of the change feed makes the
 * next snapshot in O(batch × log V), sharing everything else with this one, and every lookup
 * (by id, by name, a dataset's path on a node) is O(log V). A poll of a plain Flocker replaces
 * only the lists it found changed ({@link #withConfiguration} etc.), so an unchanged part keeps
 * its identity and {@link #sameLists} stays O(1).
 */
public final class FlockerSnapshot {
  private static final FlockerSnapshot EMPTY = new FlockerSnapshot("", Datasets.EMPTY,
      PersistentMap.hashed(), PersistentMap.hashed(), PersistentMap.hashed(), List.of(),
      Instant.EPOCH);

  private final String tag;
  private final Datasets datasets;
  /** Several entries for one dataset only while a plain Flocker shows it in transit. */
  private final PersistentMap<String, List<DatasetState>> states;
  private final PersistentMap<String, Lease> leases;
  /** Every host's copy of each dataset: from the hosts' reports, or the feed's entries. */
  private final PersistentMap<String, List<DatasetCopy>> copies;
  private final List<Node> nodes;
  private final Instant startedAt;

  private FlockerSnapshot(String tag, Datasets datasets,
      PersistentMap<String, List<DatasetState>> states, PersistentMap<String, Lease> leases,
      PersistentMap<String, List<DatasetCopy>> copies, List<Node> nodes, Instant startedAt) {
    this.tag = tag;
    this.datasets = datasets;
    this.states = states;
    this.leases = leases;
    this.copies = copies;
    this.nodes = List.copyOf(nodes);
    this.startedAt = startedAt;
  }

  public static FlockerSnapshot empty() {
    return EMPTY;
  }

  /**
   * From full lists (O(V log V)): {@code configuration} with its deleted datasets, as the control
   * service lists them; the first of two live datasets with one name is the volume.
   */
  public static FlockerSnapshot of(String tag, List<DatasetConfiguration> configuration,
      List<DatasetState> states, List<Lease> leases, List<NodeReport> reports, List<Node> nodes,
      Instant startedAt) {
    return EMPTY.withConfiguration(tag, configuration).withStates(states).withLeases(leases)
        .withReports(reports).withNodes(nodes).at(tag, startedAt);
  }

  /** The same lists, as of another read (the feed's version, or a poll's tag and start). */
  public FlockerSnapshot at(String newTag, Instant newStartedAt) {
    return new FlockerSnapshot(newTag, datasets, states, leases, copies, nodes, newStartedAt);
  }

  /** Every dataset replaced by {@code configuration} (live and deleted), read with {@code tag}. */
  public FlockerSnapshot withConfiguration(String newTag, List<DatasetConfiguration> configuration) {
    return new FlockerSnapshot(newTag, Datasets.of(configuration), states, leases, copies, nodes,
        startedAt);
  }

  public FlockerSnapshot withStates(List<DatasetState> all) {
    Map<String, List<DatasetState>> byDataset = new HashMap<>();
    for (DatasetState s : all) {
      byDataset.merge(s.datasetId(), List.of(s), (before, one) -> plus(before, s));
    }
    return new FlockerSnapshot(tag, datasets, PersistentMap.hashedOf(byDataset), leases, copies,
        nodes, startedAt);
  }

  public FlockerSnapshot withLeases(List<Lease> all) {
    Map<String, Lease> byDataset = new HashMap<>();
    all.forEach(l -> byDataset.put(l.datasetId(), l));
    return new FlockerSnapshot(tag, datasets, states, PersistentMap.hashedOf(byDataset), copies,
        nodes, startedAt);
  }

  /** Every host's copies, from every host's report (a full read, or a poll of a plain Flocker). */
  public FlockerSnapshot withReports(List<NodeReport> all) {
    return withCopies(all.stream().flatMap(DatasetCopy::of).toList());
  }

  /** Every host's copy of every dataset replaced by {@code all}. */
  public FlockerSnapshot withCopies(Collection<DatasetCopy> all) {
    Map<String, List<DatasetCopy>> byDataset = new HashMap<>();
    all.forEach(c -> byDataset.computeIfAbsent(c.copy().datasetId(), k -> new ArrayList<>(2))
        .add(c));
    byDataset.replaceAll((id, copies) -> List.copyOf(copies));
    return new FlockerSnapshot(tag, datasets, states, leases, PersistentMap.hashedOf(byDataset),
        nodes, startedAt);
  }

  public FlockerSnapshot withNodes(List<Node> all) {
    return new FlockerSnapshot(tag, datasets, states, leases, copies, all, startedAt);
  }

  /**
   * One batch of the change feed applied: each entry is its dataset's configuration, state and
   * lease now (null: none), so applying it twice is harmless. O(batch × log V).
   */
  public FlockerSnapshot apply(ChangeBatch batch) {
    Datasets d = datasets;
    PersistentMap<String, List<DatasetState>> st = states;
    PersistentMap<String, Lease> ls = leases;
    PersistentMap<String, List<DatasetCopy>> cs = copies;
    for (DatasetChange c : batch.datasets()) {
      String id = c.datasetId();
      d = c.configuration() == null ? d.remove(id) : d.put(c.configuration());
      st = st.withOrWithout(id, c.state() == null ? null : List.of(c.state()));
      ls = ls.withOrWithout(id, c.lease());
      if (c.copies() != null) { // a feed that carries them (changes-copies)
        cs = cs.withOrWithout(id, c.copies().isEmpty() ? null : c.copies());
      }
    }
    return new FlockerSnapshot(tag, d, st, ls, cs,
        batch.nodes() == null ? nodes : batch.nodes(), startedAt);
  }

  public String tag() {
    return tag;
  }

  public Instant startedAt() {
    return startedAt;
  }

  /** Live datasets, in no particular order (a view: O(1) to get, O(V) to walk). */
  public Collection<DatasetConfiguration> datasets() {
    return datasets.live().values();
  }

  /** Deleted datasets whose copies may still have to be destroyed. */
  public Collection<DatasetConfiguration> deleted() {
    return datasets.deleted().values();
  }

  /** Live and deleted datasets, as the configuration lists them (a view, in no order). */
  public Collection<DatasetConfiguration> configuration() {
    Collection<DatasetConfiguration> live = datasets();
    Collection<DatasetConfiguration> gone = deleted();
    return new AbstractCollection<>() {
      @Override
      public Iterator<DatasetConfiguration> iterator() {
        return Stream.concat(live.stream(), gone.stream()).iterator();
      }

      @Override
      public int size() {
        return live.size() + gone.size();
      }
    };
  }

  public Collection<Lease> leases() {
    return leases.values();
  }

  /** Every host's copy of {@code datasetId} (this host's included), as they last reported. */
  public List<DatasetCopy> copies(String datasetId) {
    List<DatasetCopy> c = copies.get(datasetId);
    return c == null ? List.of() : c;
  }

  /** Every dataset's states (a view: O(1) to get, O(states) to walk). */
  public Collection<List<DatasetState>> allStates() {
    return states.values();
  }

  /** Every host's copies of every dataset (a view: O(1) to get, O(copies) to walk). */
  public Collection<List<DatasetCopy>> allCopies() {
    return copies.values();
  }

  public List<Node> nodes() {
    return nodes;
  }

  /** The number of volumes (live datasets with a name). */
  public int volumeCount() {
    return datasets.byName().size();
  }

  /** The volumes' datasets in name order (one per name, the oldest of twins). */
  public Iterable<DatasetConfiguration> inNameOrder() {
    return () -> datasets.byName().values().stream()
        .map(ids -> datasets.live().get(ids.get(0))).iterator();
  }

  public Optional<DatasetConfiguration> byName(String name) {
    List<String> ids = datasets.byName().get(name);
    return ids == null ? Optional.empty() : datasets.live().find(ids.get(0));
  }

  /** A live or deleted dataset by id. */
  public Optional<DatasetConfiguration> dataset(String datasetId) {
    DatasetConfiguration d = datasets.live().get(datasetId);
    return d != null ? Optional.of(d) : datasets.deleted().find(datasetId);
  }

  public Optional<Lease> lease(String datasetId) {
    return leases.find(datasetId);
  }

  /** What the state shows of {@code datasetId}: usually one entry, none before its first copy. */
  public List<DatasetState> states(String datasetId) {
    List<DatasetState> s = states.get(datasetId);
    return s == null ? List.of() : s;
  }

  /**
   * Whether {@code other} has the same lists as this one: O(1), by identity, since a list found
   * unchanged keeps its map and any change makes a new one (a changed snapshot may still be
   * reported as different when its content is equal, which only costs a convergence).
   */
  public boolean sameLists(FlockerSnapshot other) {
    return datasets == other.datasets && states == other.states && leases == other.leases
        && copies == other.copies && nodes.equals(other.nodes);
  }

  /**
   * The path of {@code datasetId} on {@code nodeUuid} if the state shows it mounted there. During
   * a move several entries for one dataset may exist; only the one naming this node counts.
   */
  public Optional<String> manifestPath(String datasetId, String nodeUuid) {
    for (DatasetState s : states(datasetId)) { // one entry, or a few during a move: no stream
      if (s.isManifestOn(nodeUuid)) {
        return Optional.of(s.path());
      }
    }
    return Optional.empty();
  }

  /** The node the state shows {@code datasetId} manifest on (where its data is), if any. */
  public Optional<String> manifestNode(String datasetId) {
    return states(datasetId).stream().filter(s -> s.primary() != null && s.path() != null)
        .map(DatasetState::primary).findFirst();
  }

  /** The names of the volumes whose lease {@code nodeUuid} holds: O(leases). */
  public List<String> leasedBy(String nodeUuid) {
    List<String> names = new ArrayList<>();
    for (Lease l : leases.values()) {
      DatasetConfiguration d = nodeUuid.equals(l.nodeUuid()) ? datasets.live().get(l.datasetId())
          : null;
      if (d != null && d.name() != null) {
        names.add(d.name());
      }
    }
    return names;
  }

  private static <T> List<T> plus(List<T> list, T item) {
    List<T> out = new ArrayList<>(list);
    out.add(item);
    return List.copyOf(out);
  }

  /**
   * The configuration's three indexes, changed together: live and deleted datasets by id, and
   * the live ones' ids by volume name (sorted; a plain Flocker allows twins, the first wins).
   */
  private record Datasets(
      PersistentMap<String, DatasetConfiguration> live,
      PersistentMap<String, DatasetConfiguration> deleted,
      PersistentMap<String, List<String>> byName) {
    static final Datasets EMPTY = new Datasets(PersistentMap.hashed(), PersistentMap.hashed(),
        PersistentMap.sorted());

    /**
     * All of a configuration read at once. A list that names one dataset twice (no control
     * service sends one) is taken one entry at a time, as the feed's would be: the last wins.
     */
    static Datasets of(List<DatasetConfiguration> all) {
      Map<String, DatasetConfiguration> live = new HashMap<>();
      Map<String, DatasetConfiguration> deleted = new HashMap<>();
      Map<String, List<String>> names = new HashMap<>();
      for (DatasetConfiguration d : all) {
        String id = d.datasetId();
        if (live.containsKey(id) || deleted.containsKey(id)) {
          Datasets one = EMPTY;
          for (DatasetConfiguration c : all) {
            one = one.put(c);
          }
          return one;
        }
        if (d.deleted()) {
          deleted.put(id, d);
        } else {
          live.put(id, d);
          if (d.name() != null) {
            names.merge(d.name(), List.of(id), (ids, one) -> plus(ids, id));
          }
        }
      }
      return new Datasets(PersistentMap.hashedOf(live), PersistentMap.hashedOf(deleted),
          PersistentMap.sortedOf(names));
    }

    Datasets put(DatasetConfiguration d) {
      DatasetConfiguration before = live.get(d.datasetId());
      if (!d.deleted() && before != null && Objects.equals(before.name(), d.name())) {
        PersistentMap<String, DatasetConfiguration> l = live.with(d.datasetId(), d);
        return l == live ? this : new Datasets(l, deleted, byName); // keeps twins' order
      }
      Datasets without = remove(d.datasetId());
      if (d.deleted()) {
        return new Datasets(without.live, without.deleted.with(d.datasetId(), d), without.byName);
      }
      PersistentMap<String, List<String>> names = without.byName;
      if (d.name() != null) {
        List<String> ids = names.get(d.name());
        names = names.with(d.name(), ids == null ? List.of(d.datasetId()) : plus(ids,
            d.datasetId()));
      }
      return new Datasets(without.live.with(d.datasetId(), d), without.deleted, names);
    }

    Datasets remove(String id) {
      DatasetConfiguration before = live.get(id);
      if (before == null) {
        return deleted.containsKey(id) ? new Datasets(live, deleted.without(id), byName) : this;
      }
      PersistentMap<String, List<String>> names = byName;
      if (before.name() != null) {
        List<String> ids = new ArrayList<>(names.get(before.name()));
        ids.remove(id);
        names = ids.isEmpty() ? names.without(before.name())
            : names.with(before.name(), List.copyOf(ids));
      }
      return new Datasets(live.without(id), deleted, names);
    }
  }
}
