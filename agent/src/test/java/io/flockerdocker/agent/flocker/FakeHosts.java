package io.flockerdocker.agent.flocker;

import io.flockerdocker.agent.dataset.Convergence;
import io.flockerdocker.agent.dataset.LocalCopy;
import io.flockerdocker.agent.dataset.LocalCopy.State;
import io.flockerdocker.agent.dataset.Step;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fake's stand-in for every host's dataset agent: in-memory copies stepped with the real
 * {@link Convergence} rules (one step per host per round), each round ending in a report, so
 * tests that only need "the agents did their work" get it without disks or sockets.
 */
final class FakeHosts {
  private final String mountRoot;
  private final Map<String, Map<String, LocalCopy>> copies = new HashMap<>();
  private final Map<String, Long> seqs = new HashMap<>();

  FakeHosts(String mountRoot) {
    this.mountRoot = mountRoot;
  }

  /**
   * One round: each node takes its next step; returns the reports of the nodes that changed
   * (the fake stores them as if PUT). Empty means every host is converged.
   */
  List<NodeReport> round(List<Node> nodes, List<DatasetConfiguration> config, List<Lease> leases,
      Map<String, NodeReport> reports) {
    List<NodeReport> changed = new ArrayList<>();
    for (Node n : nodes) {
      Map<String, LocalCopy> mine = copies.computeIfAbsent(n.uuid(), k -> new HashMap<>());
      Step step = Convergence.next(Convergence.Inputs.of(n.uuid(), config, leases,
          List.copyOf(reports.values()), Map.copyOf(mine), Set.of()));
      if (apply(step, mine)) {
        NodeReport r = report(n, mine, config);
        reports.put(n.uuid(), r);
        changed.add(r);
      }
    }
    return changed;
  }

  private boolean apply(Step step, Map<String, LocalCopy> mine) {
    String id = step.datasetId();
    Path path = Path.of(mountRoot, id == null ? "" : id);
    if (step instanceof Step.Create) {
      mine.put(id, new LocalCopy(id, State.MANIFEST, 1, path));
    } else if (step instanceof Step.Unseal u) {
      mine.put(id, mine.get(id).with(State.MANIFEST, u.generation()));
    } else if (step instanceof Step.Pull p) {
      mine.put(id, new LocalCopy(id, State.MANIFEST, p.generation(), path));
    } else if (step instanceof Step.Seal) {
      mine.put(id, mine.get(id).with(State.SEALED, mine.get(id).generation()));
    } else if (step instanceof Step.Demote || step instanceof Step.Destroy) {
      mine.remove(id); // the fake keeps no replicas: nothing would read them
    } else {
      return false;
    }
    return true;
  }

  private NodeReport report(Node n, Map<String, LocalCopy> mine,
      List<DatasetConfiguration> config) {
    List<ReportedDataset> datasets = mine.values().stream()
        .map(c -> new ReportedDataset(c.datasetId(), c.state().name().toLowerCase(),
            c.path().toString(), c.generation(), sizeOf(config, c.datasetId()), null))
        .toList();
    long seq = seqs.merge(n.uuid(), 1L, Long::sum);
    return new NodeReport(n.uuid(), n.host(), 4524, "directory", 0, seq, datasets);
  }

  private static Long sizeOf(List<DatasetConfiguration> config, String id) {
    return config.stream().filter(d -> d.datasetId().equals(id)).findFirst()
        .map(DatasetConfiguration::maximumSize).orElse(null);
  }
}
