package io.flockerdocker.agent.dataset;

import io.flockerdocker.agent.dataset.LocalCopy.State;
import io.flockerdocker.agent.dataset.transfer.Peer;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetCopy;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The convergence rules of docs/data-plane.md §2 as a pure function: from what the control
 * service says (configuration with deleted datasets, leases, every host's report) and this
 * host's own copies to at most one next {@link Step}. Never destroys a dataset the configuration
 * does not name, never seals a leased one, pulls only a sealed copy of the highest generation.
 */
public final class Convergence {
  private Convergence() {}

  /**
   * Everything one decision looks at: the whole configuration with its deleted datasets (a view,
   * walked only by a full pass), a dataset's leases and every host's copies of it (lookups, O(1)
   * per dataset decided); {@code seen}: datasets this agent ever saw reported.
   */
  public record Inputs(
      String self,
      Collection<DatasetConfiguration> configuration,
      Function<String, List<Lease>> leases,
      Function<String, List<DatasetCopy>> copies,
      Map<String, LocalCopy> local,
      Set<String> seen) {

    /** From whole lists (tests, and any caller without an index): indexed once here. */
    public static Inputs of(String self, Collection<DatasetConfiguration> configuration,
        Collection<Lease> leases, List<NodeReport> reports, Map<String, LocalCopy> local,
        Set<String> seen) {
      Map<String, List<Lease>> byDataset = new HashMap<>();
      leases.forEach(l -> byDataset.computeIfAbsent(l.datasetId(), k -> new ArrayList<>())
          .add(l));
      Map<String, List<DatasetCopy>> copies = new HashMap<>();
      reports.forEach(r -> DatasetCopy.of(r).forEach(c -> copies.computeIfAbsent(
          c.copy().datasetId(), k -> new ArrayList<>()).add(c)));
      return new Inputs(self, configuration, id -> byDataset.getOrDefault(id, List.of()),
          id -> copies.getOrDefault(id, List.of()), local, seen);
    }
  }

  /** The first dataset (in id order, so ticks are repeatable) that has a step to take. */
  public static Step next(Inputs in) {
    List<Step> steps = steps(in, in.configuration());
    return steps.isEmpty() ? Step.Nothing.INSTANCE : steps.get(0);
  }

  /**
   * The step of each of {@code candidates} that has one, in dataset id order. The dataset agent
   * passes the whole configuration only for a full pass, otherwise just the datasets whose inputs
   * changed since they were last decided, so a decision costs what changed, not all datasets.
   */
  public static List<Step> steps(Inputs in, Collection<DatasetConfiguration> candidates) {
    List<Step> steps = new ArrayList<>();
    for (DatasetConfiguration d : sorted(candidates)) {
      Step step = decide(in, d);
      if (!(step instanceof Step.Wait)) {
        steps.add(step);
      }
    }
    return steps;
  }

  /** Local copies of datasets the configuration does not name: kept, and worth a warning. */
  public static Set<String> unknown(Inputs in) {
    Set<String> named = in.configuration().stream().map(DatasetConfiguration::datasetId)
        .collect(Collectors.toSet());
    return in.local().keySet().stream().filter(id -> !named.contains(id))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The step for one configured dataset; {@link Step.Wait} when there is none now. */
  private static Step decide(Inputs in, DatasetConfiguration d) {
    String id = d.datasetId();
    LocalCopy mine = in.local().get(id);
    boolean leased = !in.leases().apply(id).isEmpty();
    if (d.deleted()) {
      if (mine == null) {
        return new Step.Wait(id, "deleted, no copy here");
      }
      return leased ? new Step.Wait(id, "deleted but leased") : new Step.Destroy(id);
    }
    Optional<DatasetCopy> newest = newestElsewhere(in, id);
    if (in.self().equals(d.primary())) {
      return asPrimary(in, d, mine, newest, leased);
    }
    if (mine == null && in.self().equals(d.origin()) && newest.isEmpty()
        && !everExisted(in, id)) {
      // the primary moved on before this host made the first copy: make it, then hand it over
      return new Step.Create(id, d.maximumSize());
    }
    if (mine == null || mine.state() == State.REPLICA) {
      return new Step.Wait(id, "not primary here, nothing to hand over");
    }
    if (mine.state() == State.MANIFEST) {
      // A lease pins a dataset on its holder. The plugin leases for the mounting host *before*
      // it moves the dataset there (MountOperations), so a lease held by the configured primary
      // is the move being asked for, not a reason to stay; any other lease holds it here.
      boolean pinned = in.leases().apply(id).stream()
          .anyMatch(l -> !l.nodeUuid().equals(d.primary()));
      return pinned ? new Step.Wait(id, "leased: a leased dataset never moves")
          : new Step.Seal(id);
    }
    boolean superseded = newest.filter(c -> c.node().equals(d.primary())
        && ReportedDataset.MANIFEST.equals(c.copy().state())
        && c.copy().generation() > mine.generation()).isPresent();
    return superseded ? new Step.Demote(id)
        : new Step.Wait(id, "sealed, waiting for the primary to report manifest");
  }

  private static Step asPrimary(Inputs in, DatasetConfiguration d,
      LocalCopy mine, Optional<DatasetCopy> newest, boolean leased) {
    String id = d.datasetId();
    long mineGen = mine == null || !mine.authoritative() ? -1 : mine.generation();
    boolean newerElsewhere = newest.filter(c -> c.copy().generation() > mineGen).isPresent();
    if (mine != null && mine.authoritative() && !newerElsewhere) {
      return mine.state() == State.MANIFEST ? new Step.Wait(id, "manifest here")
          // skips the number a pull of this sealed copy would have got, so the two never tie
          : new Step.Unseal(id, mine.generation() + 2);
    }
    if (mine != null && mine.state() == State.MANIFEST) {
      // two authoritative copies, the other newer: ours is stale, unless someone uses it
      return leased ? new Step.Wait(id, "stale manifest copy is leased") : new Step.Demote(id);
    }
    if (newest.isPresent()) {
      DatasetCopy s = newest.get();
      if (!ReportedDataset.SEALED.equals(s.copy().state())) {
        return new Step.Wait(id, "newest copy on " + s.node() + " not sealed yet");
      }
      if (mine != null && mine.state() == State.SEALED) {
        return new Step.Demote(id); // our sealed copy is older: it becomes the pull's base
      }
      return new Step.Pull(id, new Peer(s.host(), s.dataPort(), s.node()),
          s.copy().generation(), s.copy().generation() + 1);
    }
    if (mine != null || everExisted(in, id)) {
      return new Step.Wait(id, "no authoritative copy reachable");
    }
    // a dataset made by this plugin gets its first copy on the host that made it, only there
    return d.origin() == null || in.self().equals(d.origin())
        ? new Step.Create(id, d.maximumSize())
        : new Step.Wait(id, "its first copy is made on the host that created it");
  }

  /** Seen reported by another host once, or reported by any host now (this one included). */
  private static boolean everExisted(Inputs in, String id) {
    return in.seen().contains(id) || !in.copies().apply(id).isEmpty();
  }

  /** Other hosts' authoritative copy with the highest generation (manifest wins a tie). */
  private static Optional<DatasetCopy> newestElsewhere(Inputs in, String id) {
    return in.copies().apply(id).stream()
        .filter(c -> !c.node().equals(in.self()) && c.copy().authoritative())
        .max(Comparator.<DatasetCopy>comparingLong(c -> c.copy().generation())
            .thenComparing(c -> ReportedDataset.MANIFEST.equals(c.copy().state())));
  }

  private static List<DatasetConfiguration> sorted(Collection<DatasetConfiguration> config) {
    return config.stream().sorted(Comparator.comparing(DatasetConfiguration::datasetId)).toList();
  }
}
