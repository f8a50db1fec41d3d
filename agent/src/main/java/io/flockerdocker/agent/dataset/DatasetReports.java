package io.flockerdocker.agent.dataset;

import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What this host reports for its datasets: every manifest or sealed copy at its absolute path,
 * the dataset being pulled as {@code receiving}, and the last error of each dataset (a dataset
 * whose pull failed and that has no copy here stays {@code receiving} with the error). Replicas
 * are never reported: they are not usable.
 */
final class DatasetReports {
  private DatasetReports() {}

  static List<ReportedDataset> of(Map<String, LocalCopy> local, Optional<String> receiving,
      Map<String, String> errors, Function<String, Optional<DatasetConfiguration>> config) {
    List<ReportedDataset> out = new ArrayList<>();
    TreeSet<String> ids = new TreeSet<>(local.keySet());
    receiving.ifPresent(ids::add);
    ids.addAll(errors.keySet());
    for (String id : ids) {
      LocalCopy c = local.get(id);
      Long size = config.apply(id).map(DatasetConfiguration::maximumSize).orElse(null);
      String error = errors.get(id);
      if (c != null && c.authoritative()) {
        out.add(new ReportedDataset(id, c.state().name().toLowerCase(Locale.ROOT),
            c.path().toAbsolutePath().toString(), c.generation(), size, error));
      } else if (receiving.filter(id::equals).isPresent() || error != null) {
        out.add(new ReportedDataset(id, ReportedDataset.RECEIVING, null, 0, size, error));
      }
    }
    return out;
  }

  /** What the data server may hand out: sealed copies, each to the primary configured now. */
  static Map<String, ServedCopies.Entry> served(Map<String, LocalCopy> local,
      Function<String, Optional<DatasetConfiguration>> config) {
    Map<String, ServedCopies.Entry> out = new HashMap<>();
    local.forEach((id, c) -> config.apply(id).filter(d -> c.authoritative() && !d.deleted())
        .ifPresent(d -> out.put(id, new ServedCopies.Entry(c.path(),
            c.state() == LocalCopy.State.SEALED, d.primary()))));
    return out;
  }
}
